package io.wscluster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTextTest {

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1}", "[1,2]", "\"s\"", "12.5", "true", "null", "  {\"a\":{\"b\":[]}}  ", "\"😀\"",
            "[\"a\\\\ud800\"]"})
    void acceptsExactlyOneValue(String text) {
        assertEquals(text.strip().replace(" ", ""), JsonText.parse(text).toString());
    }

    @Test
    void acceptsSurrogatePairsAndSmallExponents() {
        assertEquals("\"😀\"", JsonText.parse("\"\\ud83d\\ude00\"").toString());
        assertEquals(-1.5e-300, ((JsonNumber) JsonText.parse("-1.5e-300")).doubleValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{\"a\":1} x", "{} {}", "1 2", "nul", "{\"a\":}", "'s'"})
    void rejectsEverythingElse(String text) {
        assertThrows(JsonException.class, () -> JsonText.parse(text));
    }

    /** What made requests go unanswered or froze connections: each is refused as one JSON error now. */
    @ParameterizedTest
    @ValueSource(strings = {"\"\\ud800\"", "\"\\udc00\"", "\"\\ud800x\"", "\"\\ud800\\u0041\"", "{\"\\ud800\":1}",
            "\"\ud800\"", "1e2147483648", "1e-99999999999", "[1E+99999]", "{\"a\":{\"b\":1,\"a\":2},\"a\":3}",
            "{\"type\":\"ping\",\"type\":\"publish\"}"})
    void refusesLoneSurrogatesHugeExponentsAndDuplicateKeys(String text) {
        assertThrows(JsonException.class, () -> JsonText.parse(text));
    }

    @Test
    void refusesDeepNestingAndVeryLongNumbers() {
        assertEquals("[[1]]", JsonText.parse("[[1]]").toString());
        String deep = "[".repeat(JsonText.MAX_DEPTH + 1) + "]".repeat(JsonText.MAX_DEPTH + 1);
        assertThrows(JsonException.class, () -> JsonText.parse(deep));
        String deepest = "[".repeat(JsonText.MAX_DEPTH) + "]".repeat(JsonText.MAX_DEPTH);
        JsonText.parse(deepest);
        assertThrows(JsonException.class, () -> JsonText.parse("[".repeat(100_000)));
        assertThrows(JsonException.class, () -> JsonText.parse("1" + "0".repeat(JsonText.MAX_NUMBER_CHARS)));
        JsonText.parse("1" + "0".repeat(JsonText.MAX_NUMBER_CHARS - 1));
        // Brackets inside strings are text, not nesting.
        JsonText.parse("\"" + "[".repeat(1000) + "\"");
    }
}
