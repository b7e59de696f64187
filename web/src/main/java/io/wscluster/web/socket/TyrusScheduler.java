package io.wscluster.web.socket;

import io.wscluster.schedule.Schedulers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import java.lang.reflect.Field;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gives this application's Tyrus container a plain scheduler instead of the container's managed one.
 * Tyrus hands every session the container's scheduler and reschedules an idle-timeout task on it for
 * every frame received or sent, whatever the timeout (ours is 0: the task does nothing), and Payara's
 * managed executor captures context for every task it is given, which runs a ServiceLoader over the
 * application's whole class path: half the CPU of a busy node. On the plain scheduler that idle task is not
 * even queued ({@link IdleTimeoutSkippingScheduler}). Tyrus has no setting for it, hence
 * reflection into {@code BaseContainer}, once at start-up; should its internals change, sessions keep the
 * managed scheduler (slower, still correct) and this is logged.
 */
@ApplicationScoped
public class TyrusScheduler {

    private static final Logger LOG = Logger.getLogger(TyrusScheduler.class.getName());
    static final String FIELD = "managedScheduledExecutorService";

    @Inject
    Schedulers schedulers;

    void replace(@Observes @Initialized(ApplicationScoped.class) ServletContext context) {
        Object container = context.getAttribute(ServerContainer.class.getName());
        if (container == null) {
            LOG.warning("No WebSocket container in this application; cannot replace its scheduler");
            return;
        }
        try {
            Field field = field(container.getClass());
            field.setAccessible(true);
            field.set(container, new IdleTimeoutSkippingScheduler(schedulers.create("wscluster-tyrus-timers", 1)));
            LOG.fine("Tyrus sessions schedule their timers on a plain scheduler");
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot give " + container.getClass().getName() + " a plain scheduler; every frame"
                    + " will cost a context capture on the container's managed executor", e);
        }
    }

    private static Field field(Class<?> type) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(FIELD);
                if (ScheduledExecutorService.class.equals(field.getType())) {
                    return field;
                }
            } catch (NoSuchFieldException e) {
                // look further up
            }
        }
        throw new NoSuchFieldException(FIELD + " in " + type.getName() + " or its superclasses");
    }
}
