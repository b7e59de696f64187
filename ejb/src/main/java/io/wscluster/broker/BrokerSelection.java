package io.wscluster.broker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

/** This node's {@link Broker}: the cluster's, or a node's alone, as {@link Clustering} decided. */
@ApplicationScoped
public class BrokerSelection {

    @Inject
    Clustering clustering;

    @Produces
    @Dependent
    @Typed(Broker.class)
    Broker broker(Instance<ClusterBroker> cluster, Instance<MemoryBroker> memory) {
        return clustering.clustered() ? cluster.get() : memory.get();
    }
}
