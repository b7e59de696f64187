package io.wscluster.publish;

import io.wscluster.api.BroadcastService;
import io.wscluster.api.Priority;
import io.wscluster.message.Origin;
import jakarta.ejb.Local;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;

/** The broadcast EJB: other applications' entry point, a thin front on {@link MessagePublisher}. */
@Stateless
@Local(BroadcastService.class)
// Publishing touches no transactional resource; skip the container's transaction per call.
@TransactionManagement(TransactionManagementType.BEAN)
public class DefaultBroadcastService implements BroadcastService {

    @Inject
    MessagePublisher publisher;

    @Override
    public String publish(String channel, String jsonData) {
        return publish(channel, jsonData, Priority.NORMAL);
    }

    @Override
    public String publish(String channel, String jsonData, Priority priority) {
        return publisher.publish(channel, jsonData, Origin.EJB, priority, null).id();
    }

    @Override
    public String publish(String channel, String jsonData, Priority priority, String key) {
        return publisher.publish(channel, jsonData, Origin.EJB, priority, key).id();
    }

    @Override
    public String sendToUser(String userId, String jsonData) {
        return publisher.sendToUser(userId, jsonData, Origin.EJB, Priority.NORMAL).id();
    }
}
