package io.wscluster.broker;

import io.wscluster.history.ChannelHistory;
import io.wscluster.history.MemoryStreams;
import io.wscluster.history.StreamReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * Where the hub reads channels' streams (gaps, resuming subscribers): the store of this node's broker. A
 * producer of its own, apart from {@link BrokerSelection}: the hub must not depend on the broker, which
 * delivers to it.
 */
@ApplicationScoped
public class StreamSelection {

    @Inject
    Clustering clustering;

    @Produces
    @Dependent
    StreamReader streams(Instance<ChannelHistory> cluster, Instance<MemoryStreams> memory) {
        return clustering.clustered() ? cluster.get() : memory.get();
    }
}
