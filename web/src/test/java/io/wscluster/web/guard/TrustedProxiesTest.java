package io.wscluster.web.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    @Test
    void anAddressTrustsItselfOnly() {
        TrustedProxies proxies = TrustedProxies.of(List.of("127.0.0.1"));
        assertTrue(proxies.contains("127.0.0.1"));
        assertFalse(proxies.contains("127.0.0.2"));
    }

    @Test
    void aRangeTrustsEveryAddressInItAndNoOther() {
        TrustedProxies proxies = TrustedProxies.of(List.of("10.42.0.0/16", "fd00::/8", "192.168.1.128/25"));
        assertTrue(proxies.contains("10.42.7.9"));
        assertFalse(proxies.contains("10.43.0.1"));
        assertTrue(proxies.contains("192.168.1.200"));
        assertFalse(proxies.contains("192.168.1.100"));
        assertTrue(proxies.contains("fd12:3456::1"));
        assertFalse(proxies.contains("fe80::1"));
        assertFalse(proxies.contains("10.42.0.1.evil"), "not an address");
    }

    @Test
    void aRangeOfEverythingAndNoneAreAllowedButNotNonsense() {
        assertTrue(TrustedProxies.of(List.of("0.0.0.0/0")).contains("203.0.113.7"));
        assertFalse(TrustedProxies.NONE.contains("127.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of("haproxy.internal")), "names are never resolved");
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of("10.0.0.0/x")));
    }

    @Test
    void aClientBehindATrustedRangeIsWhatTheProxyWroteLast() {
        TrustedProxies proxies = TrustedProxies.of(List.of("10.42.0.0/16"));
        assertEquals(new ClientAddress("198.51.100.4", "https"),
                ClientAddress.of("10.42.3.3", false, List.of("1.2.3.4, 198.51.100.4"), List.of("https"), proxies));
        assertEquals(new ClientAddress("10.99.0.1", "http"),
                ClientAddress.of("10.99.0.1", false, List.of("1.2.3.4"), List.of("https"), proxies), "not a proxy: its headers are ignored");
    }
}
