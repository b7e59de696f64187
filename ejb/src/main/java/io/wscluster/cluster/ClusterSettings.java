package io.wscluster.cluster;

import java.util.Properties;
import org.eclipse.microprofile.config.Config;

/**
 * How this node joins the cluster: the Infinispan XML ({@code wscluster.infinispan.config}, a classpath
 * resource or a file path) and the values for its {@code ${...}} placeholders, which are every
 * {@code wscluster.*} key MicroProfile Config knows (system properties, environment, properties files).
 */
public record ClusterSettings(String infinispanConfig, Properties xmlProperties) {

    public static ClusterSettings from(Config config) {
        Properties properties = new Properties();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("wscluster.")) {
                config.getOptionalValue(name, String.class).ifPresent(value -> properties.setProperty(name, value));
            }
        }
        return new ClusterSettings(config.getOptionalValue("wscluster.infinispan.config", String.class)
                .orElse("wscluster-infinispan.xml"), properties);
    }
}
