package io.wscluster.protocol;

import java.util.Locale;

/** The frame types a client may send. */
public enum RequestType {
    CONNECT, REFRESH, SUBSCRIBE, UNSUBSCRIBE, PUBLISH, PRESENCE, PING;

    /** @return the type for a wire name such as {@code "subscribe"}, or null if there is none */
    static RequestType fromWire(String name) {
        for (RequestType type : values()) {
            if (type.name().toLowerCase(Locale.ROOT).equals(name)) {
                return type;
            }
        }
        return null;
    }
}
