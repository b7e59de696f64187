package io.wscluster.history;

import org.infinispan.protostream.GeneratedSchema;
import org.infinispan.protostream.annotations.ProtoSchema;

/** The ProtoStream schema of channel streams and of the read and the append that run where they live. */
@ProtoSchema(includeClasses = {ChannelStream.class, StoredMessage.class, StreamSlice.class, ReadSince.class,
        PrimaryAppend.class, Appended.class},
        schemaPackageName = "wscluster.history", schemaFileName = "history.proto", schemaFilePath = "proto/")
public interface HistorySchema extends GeneratedSchema {
}
