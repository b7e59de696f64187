package io.wscluster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wscluster.api.Priority;
import io.wscluster.api.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestParserTest {

    @Test
    void parsesEveryRequestType() throws ProtocolException {
        ClientRequest sub = RequestParser.parse("{\"type\":\"subscribe\",\"channel\":\"news\",\"id\":\"a1\"}");
        assertEquals(RequestType.SUBSCRIBE, sub.type());
        assertEquals("news", sub.channel());
        assertEquals("\"a1\"", sub.ref().toString());

        ClientRequest pub = RequestParser.parse("{\"type\":\"publish\",\"channel\":\"news\",\"data\":{\"x\":[1,2]},\"id\":7}");
        assertEquals(RequestType.PUBLISH, pub.type());
        assertEquals("{\"x\":[1,2]}", pub.data().toString());
        assertEquals("7", pub.ref().toString());

        assertEquals(RequestType.UNSUBSCRIBE, RequestParser.parse("{\"type\":\"unsubscribe\",\"channel\":\"n\"}").type());
        ClientRequest ping = RequestParser.parse("{\"type\":\"ping\"}");
        assertEquals(RequestType.PING, ping.type());
        assertNull(ping.ref());
    }

    @Test
    void publishAcceptsAnyJsonValueAsData() throws ProtocolException {
        assertEquals("null", RequestParser.parse("{\"type\":\"publish\",\"channel\":\"c\",\"data\":null}").data().toString());
        assertEquals("\"s\"", RequestParser.parse("{\"type\":\"publish\",\"channel\":\"c\",\"data\":\"s\"}").data().toString());
    }

    @Test
    void publishCarriesItsPriority() throws ProtocolException {
        assertEquals(Priority.HIGH, RequestParser.parse("{\"type\":\"publish\",\"channel\":\"c\",\"data\":1,\"priority\":\"high\"}").priority());
        assertEquals(Priority.NORMAL, RequestParser.parse("{\"type\":\"publish\",\"channel\":\"c\",\"data\":1}").priority());
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> RequestParser.parse("{\"type\":\"publish\",\"channel\":\"c\",\"data\":1,\"priority\":\"urgent\"}"));
        assertEquals(ErrorCode.INVALID_FIELD, e.code());
    }

    @Test
    void publishCarriesItsIdempotencyKey() throws ProtocolException {
        assertEquals("order-17", RequestParser.parse("{\"type\":\"publish\",\"channel\":\"c\",\"data\":1,\"idempotencyKey\":\"order-17\"}")
                .idempotencyKey());
        assertEquals(null, RequestParser.parse("{\"type\":\"publish\",\"channel\":\"c\",\"data\":1}").idempotencyKey());
        for (String bad : List.of("\"\"", "\"a b\"", "17", "\"" + "k".repeat(129) + "\"")) {
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> RequestParser.parse("{\"type\":\"publish\",\"channel\":\"c\",\"data\":1,\"idempotencyKey\":" + bad + "}"));
            assertEquals(ErrorCode.INVALID_FIELD, e.code(), bad);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json                                         | BAD_JSON",
        "{\"type\":\"ping\"                               | BAD_JSON",
        "{\"type\":\"ping\"} trailing                     | BAD_JSON",
        "[1,2]                                            | BAD_FRAME",
        "\"text\"                                         | BAD_FRAME",
        "{\"id\":1}                                       | BAD_FRAME",
        "{\"type\":3}                                     | BAD_FRAME",
        "{\"type\":\"shout\"}                             | UNKNOWN_TYPE",
        "{\"type\":\"SUBSCRIBE\",\"channel\":\"n\"}       | UNKNOWN_TYPE",
        "{\"type\":\"subscribe\"}                         | MISSING_FIELD",
        "{\"type\":\"publish\",\"channel\":\"n\"}         | MISSING_FIELD",
        "{\"type\":\"subscribe\",\"channel\":[\"n\"]}     | INVALID_FIELD",
        "{\"type\":\"ping\",\"id\":{\"a\":1}}             | INVALID_FIELD",
    })
    void rejectsMalformedFrames(String frame, ErrorCode expected) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> RequestParser.parse(frame.strip()));
        assertEquals(expected, e.code());
    }

    @Test
    void errorsCarryTheRequestIdWhenItCouldBeRead() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> RequestParser.parse("{\"type\":\"subscribe\",\"id\":\"r9\"}"));
        assertEquals("\"r9\"", e.ref().toString());
    }
}
