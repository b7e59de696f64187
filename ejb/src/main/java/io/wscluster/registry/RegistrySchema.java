package io.wscluster.registry;

import org.infinispan.protostream.GeneratedSchema;
import org.infinispan.protostream.annotations.ProtoSchema;

/** The ProtoStream schema of the registry's entries; the processor generates it. */
@ProtoSchema(includeClasses = {NodeInfo.class, NodeState.class, ChannelCount.class},
        schemaPackageName = "wscluster.registry", schemaFileName = "registry.proto", schemaFilePath = "proto/")
public interface RegistrySchema extends GeneratedSchema {
}
