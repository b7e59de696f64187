package io.wscluster.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.channel.ChannelRules;
import io.wscluster.security.Identity;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionTest {

    @Test
    void aRefusalKeepsTheApplicationsCodeAndCountsAsPermissionDenied() {
        Decision decision = Decision.parse("{\"allow\":false,\"code\":\"BANNED_BY_APP\",\"message\":\"no\"}");
        assertFalse(decision.allowed());
        MessageRejectedException refusal = decision.refusal();
        assertEquals(ErrorCode.PERMISSION_DENIED, refusal.code());
        assertEquals("BANNED_BY_APP", refusal.wireCode());
        assertEquals("no", refusal.getMessage());
    }

    @Test
    void aRefusalWithoutACodeOrWithAMalformedOneIsPermissionDenied() {
        assertEquals("PERMISSION_DENIED", Decision.parse("{\"allow\":false}").code());
        assertEquals("PERMISSION_DENIED", Decision.parse("{\"allow\":false,\"code\":\"\\\"}{\"}").code());
        assertEquals("PERMISSION_DENIED", Decision.parse("{\"allow\":false,\"code\":\"lower\"}").code());
    }

    @Test
    void theBackendBeingDownIsUnavailableOnTheWire() {
        MessageRejectedException refusal = Decision.refuse("UNAVAILABLE", "down").refusal();
        assertEquals(ErrorCode.UNAVAILABLE, refusal.code());
        assertEquals("UNAVAILABLE", refusal.wireCode());
    }

    @Test
    void anAllowCarriesGrantsExpiryAndData() {
        Decision decision = Decision.parse("{\"allow\":true,\"channels\":[\"vip.grace\",\"team.*\"],\"expiresAt\":1234,\"data\":{\"x\":1}}");
        assertTrue(decision.allowed());
        assertEquals(List.of("vip.grace", "team.*"), decision.channels());
        assertEquals(1234, decision.expiresAtMillis());
        assertEquals("{\"x\":1}", decision.data().toString());
        Identity applied = decision.applyTo(new Identity("grace", Long.MAX_VALUE, ChannelRules.of(List.of("vip.other")), false));
        assertEquals(1234, applied.expiresAtMillis());
        assertTrue(applied.grants().allows("vip.grace"));
        assertTrue(applied.grants().allows("team.blue"));
        assertTrue(applied.grants().allows("vip.other"), "the token's grants stay");
        assertFalse(applied.grants().allows("vip.henry"));
    }

    @Test
    void aPlainAllowChangesNothing() {
        Decision decision = Decision.parse("{\"allow\":true}");
        assertNull(decision.data());
        Identity identity = new Identity("olga", 99, ChannelRules.of(List.of()), false);
        assertEquals(identity, decision.applyTo(identity));
    }

    @Test
    void anAnswerOutsideTheContractIsAFailureNotADecision() {
        assertThrows(IllegalArgumentException.class, () -> Decision.parse("yes"));
        assertThrows(IllegalArgumentException.class, () -> Decision.parse("{}"));
        assertThrows(IllegalArgumentException.class, () -> Decision.parse("{\"allow\":\"true\"}"));
        assertThrows(IllegalArgumentException.class, () -> Decision.parse("{\"allow\":true,\"channels\":[\"bad name!\"]}"));
        assertThrows(IllegalArgumentException.class, () -> Decision.parse("{\"allow\":true,\"channels\":[7]}"));
    }
}
