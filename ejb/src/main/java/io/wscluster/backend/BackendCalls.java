package io.wscluster.backend;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/**
 * Calls to the backend, guarded by MicroProfile Fault Tolerance: each answer within the timeout
 * ({@code wscluster.backend.timeout-ms}, mapped onto this method's {@code Timeout/value} in
 * microprofile-config.properties), and a circuit breaker that stops calling for 5 s once half of the last
 * 20 calls failed, so a backend that is down costs its callers nothing but the refusal (or permission)
 * {@code wscluster.backend.when-down} names. Synchronous, and called on a managed executor's thread
 * ({@link Backend}): Payara's Fault Tolerance needs the application's invocation context, which the
 * transport's threads do not have.
 */
@ApplicationScoped
public class BackendCalls {

    @Inject
    Config config;

    private BackendClient client;

    @PostConstruct
    void build() {
        BackendSettings settings = BackendSettings.from(config);
        settings.url().ifPresent(url -> client = RestClientBuilder.newBuilder().baseUri(url)
                .connectTimeout(settings.timeoutMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(settings.timeoutMillis(), TimeUnit.MILLISECONDS)
                .build(BackendClient.class));
    }

    /** The backend's answer to one hook; throws when there is no backend, it fails, is late, or its circuit is open. */
    @Timeout(1000)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000, successThreshold = 2)
    public String ask(String hook, String request) {
        if (client == null) {
            throw new IllegalStateException("no wscluster.backend.url is configured");
        }
        return client.ask(hook, request);
    }
}
