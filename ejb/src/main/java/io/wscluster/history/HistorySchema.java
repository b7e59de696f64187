package io.wscluster.history;

import org.infinispan.protostream.GeneratedSchema;
import org.infinispan.protostream.annotations.ProtoSchema;

/** The ProtoStream schema of channel streams and of the functions that run where they live. */
@ProtoSchema(includeClasses = {ChannelStream.class, StoredMessage.class, Appended.class, StreamSlice.class,
        Append.class, ReadSince.class},
        schemaPackageName = "wscluster.history", schemaFileName = "history.proto", schemaFilePath = "proto/")
public interface HistorySchema extends GeneratedSchema {
}
