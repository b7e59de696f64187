package io.wscluster.protocol;

/** The rule for a message's key (what a latest-per-key channel keeps one message of): 1 to 128 characters. */
public final class MessageKeys {

    public static final int MAX_LENGTH = 128;
    public static final String RULE = "key must be a string of 1-" + MAX_LENGTH + " characters";

    private MessageKeys() {
    }

    public static boolean isValid(String key) {
        return key != null && !key.isEmpty() && key.length() <= MAX_LENGTH;
    }
}
