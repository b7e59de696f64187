package io.wscluster.protocol;

import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;

/** Strict parsing of text that must be exactly one JSON value (JsonReader alone accepts trailing garbage). */
public final class JsonText {

    // Json.createParser looks the provider up on every call; one lookup serves the application.
    private static final JsonProvider JSON = JsonProvider.provider();

    private JsonText() {
    }

    /** @throws JsonException if {@code text} is not exactly one JSON value */
    public static JsonValue parse(String text) {
        try (JsonParser parser = JSON.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                throw new JsonException("empty");
            }
            parser.next();
            JsonValue value = parser.getValue();
            if (parser.hasNext()) {
                throw new JsonException("trailing content after the JSON value");
            }
            return value;
        } catch (IllegalStateException | java.util.NoSuchElementException e) {
            throw new JsonException("malformed", e);
        }
    }

    /** The shared provider, for code that builds JSON. */
    public static JsonProvider provider() {
        return JSON;
    }
}
