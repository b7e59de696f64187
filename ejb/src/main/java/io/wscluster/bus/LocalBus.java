package io.wscluster.bus;

import io.wscluster.hub.Hub;
import io.wscluster.message.Message;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

/** The bus of a node that runs without a cluster (Payara Micro's {@code --nocluster}): this node's hub is everyone. */
@ApplicationScoped
@Typed(LocalBus.class)
public class LocalBus implements MessageBus {

    private final Hub hub;

    @Inject
    public LocalBus(Hub hub) {
        this.hub = hub;
    }

    /** For CDI proxies only. */
    protected LocalBus() {
        this(null);
    }

    @Override
    public void publish(Message message) {
        hub.deliver(message);
    }
}
