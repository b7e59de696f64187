package io.wscluster.history;

import java.util.List;
import org.infinispan.protostream.annotations.ProtoField;

/** Where an append put its messages: the stream's epoch and each message's offset, in order. */
public record Appended(@ProtoField(1) String epoch, @ProtoField(2) List<Long> offsets) {
}
