package io.wscluster.hub;

import org.infinispan.protostream.GeneratedSchema;
import org.infinispan.protostream.annotations.ProtoSchema;

/** The ProtoStream schema of what the hub runs on other nodes. */
@ProtoSchema(includeClasses = SubscriberCount.Local.class,
        schemaPackageName = "wscluster.hub", schemaFileName = "hub.proto", schemaFilePath = "proto/")
public interface HubSchema extends GeneratedSchema {
}
