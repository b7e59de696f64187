package io.wscluster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.JsonException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTextTest {

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1}", "[1,2]", "\"s\"", "12.5", "true", "null", "  {\"a\":{\"b\":[]}}  "})
    void acceptsExactlyOneValue(String text) {
        assertEquals(text.strip().replace(" ", ""), JsonText.parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{\"a\":1} x", "{} {}", "1 2", "nul", "{\"a\":}", "'s'"})
    void rejectsEverythingElse(String text) {
        assertThrows(JsonException.class, () -> JsonText.parse(text));
    }
}
