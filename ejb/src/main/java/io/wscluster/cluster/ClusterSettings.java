package io.wscluster.cluster;

import java.util.Properties;
import org.eclipse.microprofile.config.Config;

/**
 * How this node joins the cluster: the Infinispan XML ({@code wscluster.infinispan.config}, a classpath
 * resource or a file path) and the values for its {@code ${...}} placeholders, which are every
 * {@code wscluster.*} key MicroProfile Config knows (system properties, environment, properties files).
 *
 * @param quorum {@code wscluster.health.min-members}, default 1: how many nodes a view must hold for this
 *     node to count itself part of the cluster (ready, and if coordinator, acting for it); below it, the
 *     node may be the one cut off
 */
public record ClusterSettings(String infinispanConfig, Properties xmlProperties, int quorum) {

    public ClusterSettings {
        if (quorum < 1) {
            throw new IllegalArgumentException("wscluster.health.min-members must be at least 1, not " + quorum);
        }
    }

    public static ClusterSettings from(Config config) {
        Properties properties = new Properties();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("wscluster.")) {
                config.getOptionalValue(name, String.class).ifPresent(value -> properties.setProperty(name, value));
            }
        }
        return new ClusterSettings(config.getOptionalValue("wscluster.infinispan.config", String.class)
                .orElse("wscluster-infinispan.xml"), properties,
                config.getOptionalValue("wscluster.health.min-members", Integer.class).orElse(1));
    }

    /** Whether a view of {@code viewSize} nodes holds the quorum. */
    public boolean quorate(int viewSize) {
        return viewSize >= quorum;
    }
}
