package io.wscluster.web.transport;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * Tyrus's server container for this application's endpoint, outside Payara's servlet container: the
 * engine that performs handshakes and opens sessions, fed by {@link UpgradeFilter}. Sessions get the
 * given scheduler and executor, not the container's managed ones (whose every task captures context, and
 * Tyrus schedules a task per frame).
 */
final class TyrusContainer extends TyrusServerContainer {

    private final WebSocketEngine engine;
    private final ScheduledExecutorService timers;
    private final ExecutorService executor;

    TyrusContainer(int incomingBufferSize, ScheduledExecutorService timers, ExecutorService executor) {
        super((Set<Class<?>>) null);
        this.timers = timers;
        this.executor = executor;
        this.engine = TyrusWebSocketEngine.builder(this).incomingBufferSize(incomingBufferSize).build();
    }

    @Override
    public void register(Class<?> endpointClass) throws DeploymentException {
        engine.register(endpointClass, "");
    }

    @Override
    public void register(ServerEndpointConfig config) throws DeploymentException {
        engine.register(config, "");
    }

    @Override
    public WebSocketEngine getWebSocketEngine() {
        return engine;
    }

    @Override
    public ScheduledExecutorService getScheduledExecutorService() {
        return timers;
    }

    @Override
    public ExecutorService getExecutorService() {
        return executor;
    }
}
