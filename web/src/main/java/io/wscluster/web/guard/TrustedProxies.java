package io.wscluster.web.guard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The proxies whose forwarding headers a node believes: addresses and address ranges in CIDR notation
 * ({@code 10.42.0.0/16}, {@code fd00::/8}), since a balancer in Kubernetes changes its address with every
 * pod. Only literal addresses are read: a name is never resolved.
 */
public final class TrustedProxies {

    /** An IPv4 or IPv6 literal (what may be parsed without a DNS lookup). */
    private static final Pattern LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            return rest == 0 || ((address[whole] ^ network[whole]) & (0xff << (8 - rest))) == 0;
        }
    }

    static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = ranges;
    }

    /** From {@code 127.0.0.1}, {@code 10.42.0.0/16}, {@code ::1}: throws on anything else. */
    static TrustedProxies of(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : entries) {
            int slash = entry.indexOf('/');
            String address = slash < 0 ? entry : entry.substring(0, slash);
            byte[] network = parse(address);
            if (network == null) {
                throw new IllegalArgumentException("wscluster.handshake.trusted-proxies: '" + entry + "' is not an address or a range");
            }
            int prefix;
            try {
                prefix = slash < 0 ? network.length * 8 : Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("wscluster.handshake.trusted-proxies: '" + entry + "' has no valid prefix length");
            }
            ranges.add(new Range(network, prefix));
        }
        return new TrustedProxies(List.copyOf(ranges));
    }

    /** Whether a peer's address (as the connection reports it) is one of the proxies. */
    boolean contains(String peer) {
        if (ranges.isEmpty() || peer == null) {
            return false;
        }
        byte[] address = parse(peer);
        return address != null && ranges.stream().anyMatch(range -> range.contains(address));
    }

    private static byte[] parse(String literal) {
        String bare = literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1) : literal;
        if (!LITERAL.matcher(bare).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(bare).getAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
