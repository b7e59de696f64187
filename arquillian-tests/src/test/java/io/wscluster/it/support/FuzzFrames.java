package io.wscluster.it.support;

import java.util.List;
import java.util.Random;

/**
 * A seeded generator of client frames for the protocol fuzz suite: requests of every type with valid,
 * borderline and hostile field values (lone surrogate escapes, deep nesting, huge and odd numbers,
 * duplicate keys, unknown fields, odd channel names), mutations of valid requests, and text that is not
 * JSON at all. The same seed gives the same frames, so a failure reproduces with {@code -Dit.fuzz.seed=N}.
 * Text is always well-formed UTF-16 (the JDK client cannot send a lone surrogate char); surrogates appear
 * as JSON escapes, and invalid UTF-8 bytes are the raw-socket cases' business.
 */
public final class FuzzFrames {

    private static final List<String> TYPES = List.of("ping", "subscribe", "unsubscribe", "publish", "presence", "connect", "refresh",
            "PING", "", "message", "error", "\\ud800", "subscribe\\u0000", "x".repeat(300));
    private static final List<String> CHANNELS = List.of("news", "chat.fuzz", "room.fuzz", "vip.fuzz", "inbox.user#fuzzer",
            "inbox.user#alice", "chat.*", "room.>", "../etc", "", " ", "news ", "nope", "chat." + "x".repeat(300), "room.\\ud800",
            "room.\\u00e9", "room.#", "#", "a#b#c", "room.fuzz\\u0000");
    private static final List<String> ESCAPES = List.of("\\ud800", "\\udc00", "\\udbff\\udfff", "\\ud83d\\ude00", "\\u0000", "\\u001f",
            "\\\"", "\\\\", "\\/", "\\b\\f\\n\\r\\t", "\\uFFFF", "\\uFEFF", "\\ud800\\u0041", "\\uDFFF\\uD800");
    private static final List<String> NUMBERS = List.of("0", "-0", "1", "-1", "1.5", "1e2147483648", "1e-99999999999", "1E+4",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e309", "4.9e-324", "0.0000000001",
            "123456789012345678901234567890", "1e10000", "1.0e-10000");
    private static final List<String> GARBAGE = List.of("", " ", "{", "}", "[", "]", "{\"type\"", "{\"type\":}", "null", "true", "\"ping\"",
            "{\"type\":\"ping\",}", "{'type':'ping'}", "{\"type\":\"ping\"}{}", "\u00ef\u00bb\u00bf{\"type\":\"ping\"}", "\uFEFF{\"type\":\"ping\"}",
            "{\"type\":\"ping\"\u0000}", "NaN", "Infinity", "-", "01", "{\"a\":01}", "\"\\x41\"", "\"\\u12\"", "\"\\", "[1,]");

    private static final String MUTATIONS = "{}[],:\"\\ 0e-";

    private final Random random;
    private int counter;

    public FuzzFrames(long seed) {
        this.random = new Random(seed);
    }

    /** The next frame to send. */
    public String next() {
        counter++;
        return switch (random.nextInt(10)) {
            case 0 -> garbage();
            case 1 -> mutate(request());
            case 2 -> nested(1 + random.nextInt(random.nextBoolean() ? 70 : 1500));
            case 3 -> duplicateKeys();
            default -> request();
        };
    }

    private String pick(List<String> list) {
        return list.get(random.nextInt(list.size()));
    }

    private String request() {
        StringBuilder frame = new StringBuilder("{");
        String type = random.nextInt(8) == 0 ? pick(TYPES) : pick(TYPES.subList(0, 7));
        frame.append("\"type\":\"").append(type).append('"');
        if (random.nextInt(6) != 0) {
            frame.append(",\"channel\":").append(random.nextInt(8) == 0 ? value(2) : "\"" + pick(CHANNELS) + "\"");
        }
        if (random.nextInt(5) != 0) {
            frame.append(",\"id\":").append(random.nextBoolean() ? "\"f" + counter + "\"" : value(2));
        }
        if (type.equals("publish") || random.nextInt(4) == 0) {
            frame.append(",\"data\":").append(value(4));
        }
        if (random.nextInt(6) == 0) {
            frame.append(",\"token\":").append(random.nextBoolean() ? "\"" + string() + "\"" : value(1));
        }
        if (random.nextInt(6) == 0) {
            frame.append(",\"since\":").append(random.nextBoolean() ? "{\"epoch\":\"" + string() + "\",\"offset\":" + pick(NUMBERS) + "}" : value(2));
        }
        if (random.nextInt(8) == 0) {
            frame.append(",\"priority\":").append(random.nextBoolean() ? "\"high\"" : value(1));
        }
        if (random.nextInt(8) == 0) {
            frame.append(",\"key\":").append(value(1));
        }
        if (random.nextInt(6) == 0) {
            frame.append(",\"").append(string()).append("\":").append(value(2));
        }
        return frame.append('}').toString();
    }

    /** A JSON value at most {@code depth} deep. */
    private String value(int depth) {
        int kind = random.nextInt(depth > 0 ? 7 : 5);
        return switch (kind) {
            case 0 -> "\"" + string() + "\"";
            case 1 -> pick(NUMBERS);
            case 2 -> Integer.toString(random.nextInt());
            case 3 -> pick(List.of("true", "false", "null"));
            case 4 -> "\"" + "y".repeat(random.nextInt(3) == 0 ? random.nextInt(70_000) : random.nextInt(50)) + "\"";
            case 5 -> {
                StringBuilder array = new StringBuilder("[");
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.append(value(depth - 1)).append(i > 1 ? "," : "");
                }
                yield array.append(']').toString();
            }
            default -> {
                StringBuilder object = new StringBuilder("{");
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.append('"').append(string()).append("\":").append(value(depth - 1)).append(i > 1 ? "," : "");
                }
                yield object.append('}').toString();
            }
        };
    }

    /** String content: printable text, escapes (lone surrogates among them) and non-ASCII characters. */
    private String string() {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(8); i > 0; i--) {
            switch (random.nextInt(4)) {
                case 0 -> text.append(pick(ESCAPES));
                case 1 -> text.appendCodePoint(0x80 + random.nextInt(0xD800 - 0x80));
                case 2 -> text.appendCodePoint(0x10000 + random.nextInt(0x10FFFF - 0x10000));
                default -> {
                    char c = (char) (' ' + random.nextInt(95));
                    text.append(c == '"' || c == '\\' ? 'q' : c);
                }
            }
        }
        return text.toString();
    }

    private String nested(int depth) {
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        String inner = "{\"type\":\"ping\",\"id\":" + "[".repeat(depth) + "1" + "]".repeat(depth) + "}";
        return random.nextBoolean() ? inner : open.repeat(depth) + "1" + close.repeat(depth);
    }

    private String duplicateKeys() {
        return pick(List.of("{\"type\":\"ping\",\"type\":\"publish\",\"id\":\"d" + counter + "\"}",
                "{\"type\":\"publish\",\"channel\":\"room.fuzz\",\"channel\":\"news\",\"data\":1,\"id\":\"d" + counter + "\"}",
                "{\"type\":\"ping\",\"id\":1,\"id\":2}", "{\"type\":\"subscribe\",\"channel\":\"room.fuzz\",\"id\":{\"a\":1,\"a\":2}}"));
    }

    private String garbage() {
        if (random.nextBoolean()) {
            return pick(GARBAGE);
        }
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(40); i > 0; i--) {
            text.appendCodePoint(random.nextInt(4) == 0 ? 0x80 + random.nextInt(0xD800 - 0x80) : random.nextInt(128));
        }
        return text.toString();
    }

    /** A request with one character deleted, duplicated or replaced. */
    private String mutate(String frame) {
        if (frame.isEmpty()) {
            return frame;
        }
        int at = random.nextInt(frame.length());
        if (Character.isSurrogate(frame.charAt(at))) {
            return frame; // never split a pair
        }
        return switch (random.nextInt(3)) {
            case 0 -> frame.substring(0, at) + frame.substring(at + 1);
            case 1 -> frame.substring(0, at) + frame.charAt(at) + frame.substring(at);
            default -> frame.substring(0, at) + MUTATIONS.charAt(random.nextInt(MUTATIONS.length())) + frame.substring(at + 1);
        };
    }
}
