package io.wscluster.affinity;

import org.infinispan.protostream.GeneratedSchema;
import org.infinispan.protostream.annotations.ProtoSchema;

/** The ProtoStream schema of the affinity cache's entries; the processor generates it. */
@ProtoSchema(includeClasses = UserAffinity.class,
        schemaPackageName = "wscluster.affinity", schemaFileName = "affinity.proto", schemaFilePath = "proto/")
public interface AffinitySchema extends GeneratedSchema {
}
