package io.wscluster.socket;

import io.wscluster.broadcast.Message;
import io.wscluster.broadcast.Priority;
import io.wscluster.ops.NodeMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;

/** Delivers each message to the matching connections on this node: a channel's subscribers or a user's connections. */
@ApplicationScoped
public class LocalDelivery {

    @Inject
    ConnectionRegistry connections;

    @Inject
    NodeMetrics metrics;

    void deliver(@Observes Message message) {
        Set<Connection> targets = message.isDirect()
                ? connections.connectionsOf(message.user())
                : connections.subscribersOf(message.channel());
        if (targets.isEmpty()) {
            return;
        }
        String frame = ServerFrames.message(message);
        boolean urgent = message.priority() == Priority.HIGH;
        int sent = 0;
        for (Connection target : targets) {
            target.send(frame, urgent); // never throws, never blocks: one bad client cannot stop the loop
            sent++;
        }
        metrics.delivered(sent, (System.currentTimeMillis() - message.timestamp()) * 1000);
    }
}
