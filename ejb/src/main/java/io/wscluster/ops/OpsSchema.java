package io.wscluster.ops;

import org.infinispan.protostream.GeneratedSchema;
import org.infinispan.protostream.annotations.ProtoSchema;

/** The ProtoStream schema of the metrics history's entries; the processor generates it. */
@ProtoSchema(includeClasses = MetricsSnapshot.class,
        schemaPackageName = "wscluster.ops", schemaFileName = "ops.proto", schemaFilePath = "proto/")
public interface OpsSchema extends GeneratedSchema {
}
