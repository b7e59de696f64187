package io.wscluster.web.socket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * What lets this node's own warm-up clients in ({@link Warmup}): a random value made at start-up that they
 * give as the {@code warmup} query parameter. It never leaves the process and is void once the warm-up
 * ends; a connection that shows it acts as the server, on a node that is not READY yet.
 */
final class WarmupPass {

    static final String PARAMETER = "warmup";

    private volatile byte[] value;

    private WarmupPass(byte[] value) {
        this.value = value;
    }

    static WarmupPass random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return new WarmupPass(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).getBytes(StandardCharsets.US_ASCII));
    }

    /** The query parameter's value, for the warm-up's clients. */
    String value() {
        byte[] current = value;
        if (current == null) {
            throw new IllegalStateException("the warm-up is over");
        }
        return new String(current, StandardCharsets.US_ASCII);
    }

    /** Whether the request's {@code warmup} parameter is this pass, still valid (compared in constant time). */
    boolean admits(List<String> presented) {
        byte[] current = value;
        return current != null && presented != null && presented.size() == 1
                && MessageDigest.isEqual(current, presented.get(0).getBytes(StandardCharsets.UTF_8));
    }

    /** The warm-up is over: nobody is admitted any more. */
    void close() {
        value = null;
    }
}
