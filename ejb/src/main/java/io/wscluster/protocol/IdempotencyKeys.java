package io.wscluster.protocol;

/**
 * The rule for a publisher's idempotency key and the message id it becomes: ids the nodes stamp are
 * {@code <node>-<start>-<sequence>}, so a key's id, {@code key:<key>}, never meets one of theirs.
 */
public final class IdempotencyKeys {

    public static final int MAX_LENGTH = 128;
    public static final String RULE = "an idempotency key must be 1-" + MAX_LENGTH + " printable ASCII characters";

    private IdempotencyKeys() {
    }

    public static boolean isValid(String key) {
        return key != null && !key.isEmpty() && key.length() <= MAX_LENGTH && key.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    public static String messageId(String key) {
        return "key:" + key;
    }

    /** Whether a message id is one an idempotency key made. */
    public static boolean isKeyed(String messageId) {
        return messageId.startsWith("key:");
    }
}
