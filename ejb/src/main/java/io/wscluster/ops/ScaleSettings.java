package io.wscluster.ops;

import org.eclipse.microprofile.config.Config;

/**
 * Scale hints, from MicroProfile Config.
 *
 * @param targetConnectionsPerNode {@code wscluster.scale.target-connections-per-node}: connections a node
 *     should carry at most; 8,000 (default) leaves headroom under the 10,000 a node is sized for
 * @param minNodes {@code wscluster.scale.min-nodes}: never advise fewer; default 2
 */
public record ScaleSettings(int targetConnectionsPerNode, int minNodes) {

    public static ScaleSettings from(Config config) {
        return new ScaleSettings(
                config.getOptionalValue("wscluster.scale.target-connections-per-node", Integer.class).orElse(8000),
                config.getOptionalValue("wscluster.scale.min-nodes", Integer.class).orElse(2));
    }
}
