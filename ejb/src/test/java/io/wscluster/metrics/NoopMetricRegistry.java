package io.wscluster.metrics;

import java.lang.reflect.Proxy;
import org.eclipse.microprofile.metrics.MetricRegistry;

/** A MetricRegistry that records nothing, for tests that build services by hand (Payara provides the real one). */
public final class NoopMetricRegistry {

    private NoopMetricRegistry() {
    }

    public static MetricRegistry create() {
        return noop(MetricRegistry.class);
    }

    /** Every method answers zero, false, null, or another such object where it returns an interface. */
    private static <T> T noop(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Class<?> returns = method.getReturnType();
            if (returns == boolean.class) {
                return false;
            } else if (returns == long.class) {
                return 0L;
            } else if (returns == int.class) {
                return 0;
            } else if (returns == double.class) {
                return 0.0;
            } else if (returns.isInterface()) {
                return noop(returns);
            }
            return null;
        }));
    }

    /** Metrics that count into nothing. */
    public static Metrics metrics() {
        return new Metrics(create());
    }
}
