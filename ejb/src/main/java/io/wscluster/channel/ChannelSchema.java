package io.wscluster.channel;

import org.infinispan.protostream.GeneratedSchema;
import org.infinispan.protostream.annotations.ProtoSchema;

/** The ProtoStream schema of the shared channel settings; the processor generates it. */
@ProtoSchema(includeClasses = ChannelSettings.class,
        schemaPackageName = "wscluster.channel", schemaFileName = "channel.proto", schemaFilePath = "proto/")
public interface ChannelSchema extends GeneratedSchema {
}
