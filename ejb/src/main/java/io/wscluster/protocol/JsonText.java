package io.wscluster.protocol;

import jakarta.json.JsonConfig;
import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.util.Map;

/**
 * Strict parsing of text that must be exactly one JSON value (JsonReader alone accepts trailing garbage),
 * within limits every consumer can handle: nesting at most {@value #MAX_DEPTH} deep, numbers of at most
 * {@value #MAX_NUMBER_CHARS} characters with exponents of at most four digits, strings without unpaired
 * surrogates (escaped or not: UTF-8 cannot encode them, so they could never be sent on), and no duplicate
 * keys. Whatever is wrong, the one exception is {@link JsonException}.
 */
public final class JsonText {

    public static final int MAX_DEPTH = 64;
    public static final int MAX_NUMBER_CHARS = 100;
    private static final int MAX_EXPONENT_DIGITS = 4;

    // Json.createParser looks the provider up on every call; one lookup serves the application.
    private static final JsonProvider JSON = JsonProvider.provider();
    // KEY_STRATEGY is JSON-P's name for it, the Parsson key what its parser honours.
    private static final JsonParserFactory PARSERS = JSON.createParserFactory(Map.of(
            JsonConfig.KEY_STRATEGY, JsonConfig.KeyStrategy.NONE, "org.eclipse.parsson.rejectDuplicateKeys", true));

    private JsonText() {
    }

    /** @throws JsonException if {@code text} is not exactly one JSON value within the limits above */
    public static JsonValue parse(String text) {
        checkLimits(text);
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                throw new JsonException("empty");
            }
            parser.next();
            JsonValue value = parser.getValue();
            if (parser.hasNext()) {
                throw new JsonException("trailing content after the JSON value");
            }
            return value;
        } catch (JsonException e) {
            throw e;
        } catch (RuntimeException e) {
            // IllegalStateException, NoSuchElementException, NumberFormatException, ...: all malformed input.
            throw new JsonException("malformed", e);
        }
    }

    /** The shared provider, for code that builds JSON. */
    public static JsonProvider provider() {
        return JSON;
    }

    /** One pass over the text, before any parser sees it: depth, number length and exponent, surrogates. */
    private static void checkLimits(String text) {
        int depth = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"') {
                i = checkString(text, i + 1);
            } else if (c == '[' || c == '{') {
                if (++depth > MAX_DEPTH) {
                    throw new JsonException("nested deeper than " + MAX_DEPTH);
                }
                i++;
            } else if (c == ']' || c == '}') {
                depth--;
                i++;
            } else if (c == '-' || c >= '0' && c <= '9') {
                i = checkNumber(text, i);
            } else {
                i++;
            }
        }
    }

    /** Checks a string's escapes and surrogates from after its opening quote; returns the index after its closing quote. */
    private static int checkString(String text, int from) {
        int i = from;
        int n = text.length();
        boolean highPending = false;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"') {
                if (highPending) {
                    throw new JsonException("unpaired surrogate in a string");
                }
                return i + 1;
            }
            int unit;
            if (c == '\\' && i + 1 < n) {
                if (text.charAt(i + 1) == 'u' && i + 5 < n) {
                    unit = hex(text, i + 2);
                    i += 6;
                } else {
                    unit = -1; // another escape: not a surrogate
                    i += 2;
                }
            } else {
                unit = c;
                i++;
            }
            boolean high = unit >= 0xD800 && unit <= 0xDBFF;
            boolean low = unit >= 0xDC00 && unit <= 0xDFFF;
            if (highPending != low) {
                throw new JsonException("unpaired surrogate in a string");
            }
            highPending = high;
        }
        return n; // unterminated: the parser says so
    }

    private static int hex(String text, int at) {
        int value = 0;
        for (int k = at; k < at + 4; k++) {
            int digit = Character.digit(text.charAt(k), 16);
            if (digit < 0) {
                return -1; // the parser refuses it
            }
            value = value * 16 + digit;
        }
        return value;
    }

    /** Checks a number's length and exponent; returns the index after it. */
    private static int checkNumber(String text, int from) {
        int i = from;
        int n = text.length();
        int exponentDigits = -1;
        while (i < n) {
            char c = text.charAt(i);
            if (c == 'e' || c == 'E') {
                exponentDigits = 0;
            } else if (c >= '0' && c <= '9') {
                if (exponentDigits >= 0 && ++exponentDigits > MAX_EXPONENT_DIGITS) {
                    throw new JsonException("exponent of more than " + MAX_EXPONENT_DIGITS + " digits");
                }
            } else if (c != '-' && c != '+' && c != '.') {
                break;
            }
            if (i - from >= MAX_NUMBER_CHARS) {
                throw new JsonException("number longer than " + MAX_NUMBER_CHARS + " characters");
            }
            i++;
        }
        return i;
    }
}
