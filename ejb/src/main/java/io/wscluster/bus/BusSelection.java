package io.wscluster.bus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.eclipse.microprofile.config.Config;

/**
 * Picks this node's {@link MessageBus} once: {@code wscluster.bus=cluster} or {@code local}, or by default
 * whether Payara's clustering (Hazelcast, which carries clustered CDI events) runs on this instance. It
 * binds its Hazelcast instance in JNDI as {@code payara/Hazelcast} only when clustering is on
 * ({@code --nocluster} turns it off).
 */
@ApplicationScoped
public class BusSelection {

    private static final Logger LOG = Logger.getLogger(BusSelection.class.getName());
    static final String PAYARA_HAZELCAST = "payara/Hazelcast";

    @Inject
    Config config;

    private volatile Boolean clustered;

    @Produces
    @Dependent
    MessageBus messageBus(Instance<ClusterBus> cluster, Instance<LocalBus> local) {
        return clustered() ? cluster.get() : local.get();
    }

    private boolean clustered() {
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
            LOG.info(() -> result ? "Messages travel between nodes as Payara clustered CDI events"
                    : "No Payara clustering on this instance: messages stay on this node");
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
