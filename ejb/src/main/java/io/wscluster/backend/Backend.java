package io.wscluster.backend;

import io.wscluster.api.ErrorCode;
import io.wscluster.hub.Connection;
import io.wscluster.hub.Hub;
import io.wscluster.protocol.CloseCodes;
import io.wscluster.protocol.JsonText;
import io.wscluster.protocol.ServerFrames;
import io.wscluster.security.Identity;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * The application's backend deciding who may connect, subscribe and publish, and how long a connection
 * lives (Centrifugo's proxy, Phoenix's {@code join/3}): each hook posts what is asked to
 * {@code wscluster.backend.url}/HOOK and reads back a {@link Decision}. Off unless configured; when the
 * backend cannot answer, {@code wscluster.backend.when-down} decides.
 */
@ApplicationScoped
public class Backend {

    private static final Logger LOG = Logger.getLogger(Backend.class.getName());

    @Inject
    BackendCalls calls;

    @Inject
    Config config;

    /** Where calls wait for the backend: a managed thread. */
    @Resource
    ManagedExecutorService executor;

    @Resource
    ContextService contexts;

    /**
     * Runs a call in the application's context, captured at start: Payara's Fault Tolerance needs it, and a
     * managed executor only passes on what its caller had, which the transport's threads do not have.
     */
    private Executor inApplication;

    private final AtomicLong lastWarned = new AtomicLong();
    private BackendSettings settings;

    @PostConstruct
    void configure() {
        inApplication = contexts.createContextualProxy((Executor) Runnable::run, Executor.class);
        settings = BackendSettings.from(config);
        if (settings.url().isEmpty() && (settings.connect() || settings.refresh())) {
            LOG.warning("wscluster.backend.connect or .refresh is on without wscluster.backend.url: "
                    + "every such decision is the when-down one (" + settings.whenDown() + ")");
        }
    }

    /** Made at the application's start, where its context is there to capture. */
    void started(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // nothing more: being created here is the point
    }

    public BackendSettings settings() {
        return settings;
    }

    /** Whether a connect is the backend's decision. */
    public boolean decidesConnect() {
        return settings.connect();
    }

    /** Whether an expiring connection asks the backend before it is closed. */
    public boolean decidesRefresh() {
        return settings.refresh();
    }

    /** {@code {"user", "transport", "connection", "expiresAt"}}: may refuse, grant channels or set the expiry. */
    public CompletionStage<Decision> connect(Identity identity, String transport, String connection) {
        JsonObjectBuilder request = asking(identity, connection).add("transport", transport);
        if (identity.expiresAtMillis() != Long.MAX_VALUE) {
            request.add("expiresAt", identity.expiresAtMillis());
        }
        return ask("connect", request);
    }

    /** {@code {"user", "connection", "channel"}}: may refuse. */
    public CompletionStage<Decision> subscribe(Identity identity, String connection, String channel) {
        return ask("subscribe", asking(identity, connection).add("channel", channel));
    }

    /** {@code {"user", "connection", "channel", "data"}}: may refuse, or give the data to publish instead. */
    public CompletionStage<Decision> publish(Identity identity, String connection, String channel, JsonValue data) {
        return ask("publish", asking(identity, connection).add("channel", channel).add("data", data));
    }

    /** {@code {"user", "connection"}}: may refuse (the connection closes) or name the next expiry. */
    public CompletionStage<Decision> refresh(Identity identity, String connection) {
        return ask("refresh", asking(identity, connection));
    }

    /**
     * A connection's credential expired: it closes (4004), unless the backend decides refreshes
     * ({@code wscluster.backend.refresh}) and keeps it; then {@code renewed} gets the identity it lives on
     * as (told to the client with {@code refreshed} when the backend names the next expiry), or the
     * connection closes with the application's message.
     */
    public void expired(Identity identity, Connection connection, Hub hub, Consumer<Identity> renewed) {
        if (!decidesRefresh() || identity == null || identity.user() == null) {
            hub.close(connection, CloseCodes.tokenExpired());
            return;
        }
        refresh(identity, connection.id()).whenComplete((decision, failure) -> {
            if (decision == null || !decision.allowed()) {
                hub.close(connection, decision == null ? CloseCodes.tokenExpired() : CloseCodes.refreshRefused(decision.message()));
                return;
            }
            Identity next = decision.applyTo(new Identity(identity.user(), Long.MAX_VALUE, identity.grants(), false));
            if (next.expiresAtMillis() != Long.MAX_VALUE) {
                connection.send(ServerFrames.refreshedByServer(identity.user(), next.expiresAtMillis()));
            }
            renewed.accept(next);
        });
    }

    private static JsonObjectBuilder asking(Identity identity, String connection) {
        JsonObjectBuilder request = JsonText.provider().createObjectBuilder();
        if (identity.user() == null) {
            request.addNull("user");
        } else {
            request.add("user", identity.user());
        }
        return connection == null ? request : request.add("connection", connection);
    }

    private CompletionStage<Decision> ask(String hook, JsonObjectBuilder request) {
        String body = request.build().toString();
        CompletableFuture<String> answer;
        try {
            answer = CompletableFuture.supplyAsync(() -> {
                String[] answered = new String[1];
                inApplication.execute(() -> answered[0] = calls.ask(hook, body));
                return answered[0];
            }, executor);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(whenDown(hook, e)); // the executor refused: shutting down
        }
        return answer.handle((answered, failure) -> {
            if (failure != null) {
                return whenDown(hook, failure instanceof CompletionException ? failure.getCause() : failure);
            }
            try {
                return Decision.parse(answered);
            } catch (RuntimeException e) {
                return whenDown(hook, e);
            }
        });
    }

    private Decision whenDown(String hook, Throwable failure) {
        LOG.log(Level.FINE, "The backend did not decide " + hook, failure);
        long now = System.currentTimeMillis();
        long last = lastWarned.get();
        if (now - last > 10_000 && lastWarned.compareAndSet(last, now)) {
            // Once per 10 s at most: a backend that is down fails every connection's hooks at once.
            LOG.warning("The backend did not decide " + hook + " (" + failure + "); decided by wscluster.backend.when-down: "
                    + settings.whenDown());
        }
        return settings.whenDown() == BackendSettings.WhenDown.ALLOW ? Decision.ALLOW
                : Decision.refuse(ErrorCode.UNAVAILABLE.name(), "the application's backend did not answer; try again later");
    }
}
