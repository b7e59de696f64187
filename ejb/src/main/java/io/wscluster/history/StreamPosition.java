package io.wscluster.history;

import org.infinispan.protostream.annotations.ProtoField;

/** A place in a channel's stream: its epoch and an offset. */
public record StreamPosition(@ProtoField(1) String epoch, @ProtoField(value = 2, defaultValue = "0") long offset) {
}
