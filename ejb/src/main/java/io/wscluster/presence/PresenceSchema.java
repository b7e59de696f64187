package io.wscluster.presence;

import org.infinispan.protostream.GeneratedSchema;
import org.infinispan.protostream.annotations.ProtoSchema;

/** The ProtoStream schema of presence entries. */
@ProtoSchema(includeClasses = PresenceEntry.class,
        schemaPackageName = "wscluster.presence", schemaFileName = "presence.proto", schemaFilePath = "proto/")
public interface PresenceSchema extends GeneratedSchema {
}
