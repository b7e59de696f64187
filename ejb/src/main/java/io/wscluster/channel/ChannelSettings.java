package io.wscluster.channel;

import java.util.List;
import org.infinispan.protostream.annotations.ProtoField;

/** The channel allow-list as the cluster shares it, so every node agrees on which channels exist. */
public record ChannelSettings(
        @ProtoField(1) List<String> entries,
        @ProtoField(2) String setBy,
        @ProtoField(value = 3, defaultValue = "0") long setAt) {

    public static final String KEY = "channels";
}
