package io.wscluster.cluster;

import io.wscluster.affinity.UserAffinity;
import io.wscluster.channel.ChannelSettings;
import io.wscluster.ops.MetricsSnapshot;
import io.wscluster.registry.ChannelCount;
import io.wscluster.registry.NodeInfo;
import io.wscluster.registry.NodeState;
import org.infinispan.protostream.GeneratedSchema;
import org.infinispan.protostream.annotations.ProtoSchema;

/** The ProtoStream schema of everything wscluster keeps in Infinispan; the processor generates it. */
@ProtoSchema(includeClasses = {NodeInfo.class, NodeState.class, ChannelCount.class, UserAffinity.class,
        ChannelSettings.class, MetricsSnapshot.class},
        schemaPackageName = "wscluster", schemaFileName = "wscluster.proto", schemaFilePath = "proto/")
public interface ClusterSchema extends GeneratedSchema {
}
