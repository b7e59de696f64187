package io.wscluster.socket;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.websocket.Session;
import java.lang.reflect.Field;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gives each Tyrus session a plain scheduler for its idle-timeout bookkeeping instead of the container's
 * managed one. Tyrus 2.1 reschedules an idle-timeout task for every frame received or sent, whatever the
 * timeout (ours is 0, so the task does nothing), and Payara's managed executor captures context for every
 * task it is given: a ServiceLoader scan of the application's whole class path. A profile of the node
 * taking a 10,000-message burst from one publisher put half of its CPU there. Tyrus has no setting for
 * its scheduler, hence reflection; should its internals change, sessions keep the container's scheduler
 * (slower, still correct) and this is logged once.
 */
@ApplicationScoped
public class SessionTimers {

    private static final Logger LOG = Logger.getLogger(SessionTimers.class.getName());

    /** Created once, so context is captured once, not per task. */
    @Resource
    ManagedThreadFactory threadFactory;

    private final AtomicBoolean warned = new AtomicBoolean();
    private volatile ScheduledThreadPoolExecutor scheduler;
    private volatile Field service;

    /** Moves {@code session}'s idle-timeout tasks to this scheduler; call before the session carries frames. */
    void adopt(Session session) {
        try {
            schedulerField(session.getClass()).set(session, scheduler());
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (warned.compareAndSet(false, true)) {
                LOG.log(Level.WARNING, "Cannot give " + session.getClass().getName() + " a plain scheduler; every frame"
                        + " will cost a context capture on the container's managed executor", e);
            }
        }
    }

    /** Tyrus's session class never changes while the application runs: look its field up once. */
    private Field schedulerField(Class<?> sessionClass) throws NoSuchFieldException {
        Field field = service;
        if (field == null || field.getDeclaringClass() != sessionClass) {
            field = sessionClass.getDeclaredField("service");
            if (!ScheduledExecutorService.class.equals(field.getType())) {
                throw new NoSuchFieldException("service is a " + field.getType());
            }
            field.setAccessible(true);
            service = field;
        }
        return field;
    }

    private ScheduledThreadPoolExecutor scheduler() {
        ScheduledThreadPoolExecutor current = scheduler;
        if (current == null) {
            synchronized (this) {
                current = scheduler;
                if (current == null) {
                    current = new ScheduledThreadPoolExecutor(1, threadFactory);
                    // Tyrus cancels the previous task on every frame: drop cancelled ones at once.
                    current.setRemoveOnCancelPolicy(true);
                    scheduler = current;
                }
            }
        }
        return current;
    }

    @PreDestroy
    void stop() {
        ScheduledThreadPoolExecutor current = scheduler;
        if (current != null) {
            current.shutdownNow();
        }
    }
}
