package io.wscluster.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Comparing secrets in constant time, so the time a wrong guess takes says nothing about the right one. */
final class Secrets {

    private Secrets() {
    }

    static boolean equal(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
