package io.wscluster.web.transport;

import io.wscluster.web.container.Member;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.glassfish.grizzly.filterchain.FilterChain;

/**
 * The filter chains of Payara's network listeners (the HTTP listener, and the HTTPS one where the node
 * terminates TLS): Payara's Grizzly service, found in its service locator, holds a proxy per listener, and
 * each proxy's Grizzly listener its root chain, and the proxy the listener's address and port. None of it is
 * public, hence {@link Member}.
 */
final class PayaraListeners {

    private static final String GLOBALS = "org.glassfish.internal.api.Globals";
    private static final String GRIZZLY_SERVICE = "com.sun.enterprise.v3.services.impl.GrizzlyService";
    private static final Member PROXIES = Member.field("proxies");
    private static final Member LISTENER = Member.method("getUnderlyingListener");
    private static final Member ROOT_CHAIN = Member.field("rootFilterChain");
    private static final Member ADDRESS = Member.method("getAddress");
    private static final Member PORT = Member.method("getPort");

    /** A listener's root chain, and the address (perhaps the wildcard) and port it listens on. */
    record Listener(FilterChain chain, InetAddress address, int port) {
    }

    private PayaraListeners() {
    }

    /** Every listener with its root filter chain. */
    static List<Listener> listeners() throws ReflectiveOperationException {
        ClassLoader runtime = FilterChain.class.getClassLoader(); // Payara's own loader: Grizzly is one of its modules
        Object locator = Class.forName(GLOBALS, true, runtime).getMethod("getDefaultHabitat").invoke(null);
        Class<?> serviceType = Class.forName(GRIZZLY_SERVICE, true, runtime);
        Object service = locator.getClass().getMethod("getService", Class.class, Annotation[].class)
                .invoke(locator, serviceType, new Annotation[0]);
        List<Listener> listeners = new ArrayList<>();
        for (Object proxy : (Collection<?>) PROXIES.read(service)) {
            if (ROOT_CHAIN.read(LISTENER.read(proxy)) instanceof FilterChain chain) {
                listeners.add(new Listener(chain, (InetAddress) ADDRESS.read(proxy), (Integer) PORT.read(proxy)));
            }
        }
        return listeners;
    }
}
