package io.wscluster.publish;

import io.wscluster.api.BroadcastService;
import io.wscluster.api.Priority;
import io.wscluster.message.Message;
import io.wscluster.message.Origin;
import jakarta.annotation.Resource;
import jakarta.ejb.Local;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The broadcast EJB: other applications' entry point, a thin front on {@link MessagePublisher}. It joins
 * the caller's transaction, if there is one: the message is checked and gets its id at once, and is sent
 * when the transaction commits, never when it rolls back. Without a transaction it is sent at once.
 */
@Stateless
@Local(BroadcastService.class)
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class DefaultBroadcastService implements BroadcastService {

    private static final Logger LOG = Logger.getLogger(DefaultBroadcastService.class.getName());

    @Inject
    MessagePublisher publisher;

    @Resource
    TransactionSynchronizationRegistry transactions;

    @Override
    public String publish(String channel, String jsonData) {
        return publish(channel, jsonData, Priority.NORMAL, null);
    }

    @Override
    public String publish(String channel, String jsonData, Priority priority) {
        return publish(channel, jsonData, priority, null);
    }

    @Override
    public String publish(String channel, String jsonData, Priority priority, String key) {
        return sendWhenCommitted(publisher.prepare(channel, jsonData, Origin.EJB, priority, key));
    }

    @Override
    public String sendToUser(String userId, String jsonData) {
        return sendWhenCommitted(publisher.prepareToUser(userId, jsonData, Origin.EJB, Priority.NORMAL));
    }

    private String sendWhenCommitted(Message message) {
        publisher.requireCapacity();
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            return MessagePublisher.awaitSent(publisher.sendAdmitted(message)).id();
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status != Status.STATUS_COMMITTED) {
                    return;
                }
                // The caller's commit has returned already: nobody to tell of a failure but the log.
                publisher.sendAdmitted(message).whenComplete((sent, failure) -> {
                    if (failure != null) {
                        LOG.log(Level.WARNING, "Message " + message.id() + " of a committed transaction could not be sent", failure);
                    }
                });
            }
        });
        return message.id();
    }
}
