package io.wscluster.publish;

import io.wscluster.api.BroadcastService;
import io.wscluster.api.ChannelInfo;
import io.wscluster.api.ErrorCode;
import io.wscluster.api.MessageRejectedException;
import io.wscluster.api.Priority;
import io.wscluster.api.Publication;
import io.wscluster.api.PublishResult;
import io.wscluster.control.UserControl;
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
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The broadcast EJB: other applications' entry point, a thin front on {@link MessagePublisher} and, for the
 * server API's commands, {@link UserControl}. Publishing joins the caller's transaction, if there is one:
 * the message is checked and gets its id at once, and is sent when the transaction commits, never when it
 * rolls back. Without a transaction it is sent at once. Commands to users act at once either way.
 */
@Stateless
@Local(BroadcastService.class)
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class DefaultBroadcastService implements BroadcastService {

    private static final Logger LOG = Logger.getLogger(DefaultBroadcastService.class.getName());

    @Inject
    MessagePublisher publisher;

    @Inject
    UserControl control;

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
    public String publishOnce(String channel, String jsonData, String idempotencyKey) {
        return sendWhenCommitted(publisher.prepare(new Publication(channel, null, jsonData, idempotencyKey), Origin.EJB));
    }

    @Override
    public String sendToUser(String userId, String jsonData) {
        return sendWhenCommitted(publisher.prepareToUser(userId, jsonData, Origin.EJB, Priority.NORMAL));
    }

    @Override
    public List<PublishResult> publishBatch(List<Publication> publications) {
        if (publications == null) {
            throw new MessageRejectedException(ErrorCode.MISSING_FIELD, "publications are required");
        }
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            return publisher.publishAll(publications, Origin.EJB);
        }
        // In a transaction: checked and given ids now, sent at commit, in order.
        List<PublishResult> results = new ArrayList<>(publications.size());
        List<Message> admitted = new ArrayList<>();
        for (Publication publication : publications) {
            try {
                Message message = publisher.prepare(publication, Origin.EJB);
                admitted.add(message);
                results.add(PublishResult.sent(MessagePublisher.target(publication), message.id(), null, 0));
            } catch (MessageRejectedException e) {
                results.add(PublishResult.refused(MessagePublisher.target(publication), e.code(), e.getMessage()));
            }
        }
        sendWhenCommitted(admitted);
        return results;
    }

    @Override
    public List<PublishResult> broadcast(List<String> channels, String jsonData) {
        if (channels == null || channels.isEmpty()) {
            throw new MessageRejectedException(ErrorCode.MISSING_FIELD, "channels are required");
        }
        return publishBatch(channels.stream().map(channel -> Publication.toChannel(channel, jsonData)).toList());
    }

    @Override
    public void disconnect(String userId, int closeCode, String reason, long banSeconds) {
        control.disconnect(userId, closeCode, reason, banSeconds);
    }

    @Override
    public void unsubscribe(String userId, String channel) {
        control.unsubscribe(userId, channel);
    }

    @Override
    public void subscribe(String userId, String channel) {
        control.subscribe(userId, channel, null, 0);
    }

    @Override
    public void refresh(String userId, long expiresAtMillis) {
        control.refresh(userId, expiresAtMillis);
    }

    @Override
    public ChannelInfo channelInfo(String channel) {
        return control.info(channel).join();
    }

    private String sendWhenCommitted(Message message) {
        sendWhenCommitted(List.of(message));
        return message.id();
    }

    /** Sends now (and waits), or, inside a transaction, at its commit in this order and never after a rollback. */
    private void sendWhenCommitted(List<Message> messages) {
        publisher.requireCapacity();
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            messages.forEach(message -> MessagePublisher.awaitSent(publisher.sendAdmitted(message)));
            return;
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
                for (Message message : messages) {
                    publisher.sendAdmitted(message).whenComplete((sent, failure) -> {
                        if (failure != null) {
                            LOG.log(Level.WARNING, "Message " + message.id() + " of a committed transaction could not be sent", failure);
                        }
                    });
                }
            }
        });
    }
}
