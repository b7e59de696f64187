package io.wscluster.client;

import java.util.UUID;

/**
 * How a message is published: {@code high} priority (skips batching, overtakes normal messages queued for
 * each client), a {@code key} naming what it is about (latest-per-key channels), and an idempotency key
 * (a publish repeated with it is delivered once; null for none).
 */
public record PublishOptions(boolean high, String key, String idempotencyKey) {

    /** Normal priority, no key, a fresh idempotency key. */
    public static PublishOptions defaults() {
        return new PublishOptions(false, null, UUID.randomUUID().toString());
    }

    public PublishOptions highPriority() {
        return new PublishOptions(true, key, idempotencyKey);
    }

    public PublishOptions key(String value) {
        return new PublishOptions(high, value, idempotencyKey);
    }

    public PublishOptions idempotencyKey(String value) {
        return new PublishOptions(high, key, value);
    }
}
