package io.wscluster.broker;

import io.wscluster.bus.BusSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.eclipse.microprofile.config.Config;

/**
 * Whether this node is one of a cluster, decided once: {@code wscluster.bus=cluster} or {@code local}, or by
 * default whether Payara's clustering (Hazelcast, which carries clustered CDI events) runs on this instance.
 * It binds its Hazelcast instance in JNDI as {@code payara/Hazelcast} only when clustering is on
 * ({@code --nocluster} turns it off).
 */
@ApplicationScoped
public class Clustering {

    private static final Logger LOG = Logger.getLogger(Clustering.class.getName());
    static final String PAYARA_HAZELCAST = "payara/Hazelcast";

    @Inject
    Config config;

    private volatile Boolean clustered;

    public boolean clustered() {
        Boolean decided = clustered;
        if (decided == null) {
            String mode = BusSettings.from(config).mode();
            decided = switch (mode) {
                case "cluster" -> true;
                case "local" -> false;
                case "auto" -> payaraClusteringOn();
                default -> throw new IllegalArgumentException("wscluster.bus is auto, cluster or local, not " + mode);
            };
            clustered = decided;
            boolean result = decided;
            LOG.info(() -> result ? "Messages travel between nodes as Payara clustered CDI events, streams live in Infinispan"
                    : "No Payara clustering on this instance: messages and streams stay on this node");
        }
        return decided;
    }

    private static boolean payaraClusteringOn() {
        try {
            return new InitialContext().lookup(PAYARA_HAZELCAST) != null;
        } catch (NamingException e) {
            return false;
        }
    }
}
