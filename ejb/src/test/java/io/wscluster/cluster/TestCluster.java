package io.wscluster.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.infinispan.configuration.parsing.ConfigurationBuilderHolder;
import org.infinispan.configuration.parsing.ParserRegistry;
import org.infinispan.manager.DefaultCacheManager;

/**
 * Real cache managers from the shipped Infinispan XML, JGroups over TCP on 127.0.0.1 with TCPPING, for tests of
 * what the caches themselves do; {@link #stop} stops those still running.
 */
public final class TestCluster implements AutoCloseable {

    private final String name;
    private final int firstPort;
    private final int size;
    private final List<DefaultCacheManager> managers = new ArrayList<>();

    /** A cluster of at most {@code size} nodes on ports {@code firstPort}..{@code firstPort + size - 1}. */
    public TestCluster(String name, int firstPort, int size) {
        this.name = name;
        this.firstPort = firstPort;
        this.size = size;
    }

    /** Starts node {@code i} (from 0) and the given caches on it. */
    public DefaultCacheManager start(int i, String... caches) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("wscluster.jgroups.bind-port", String.valueOf(firstPort + i));
        properties.setProperty("wscluster.jgroups.initial-hosts", IntStream.range(0, size)
                .mapToObj(n -> "127.0.0.1[" + (firstPort + n) + "]").collect(Collectors.joining(",")));
        properties.setProperty("wscluster.cluster.name", name);
        ConfigurationBuilderHolder holder = new ParserRegistry(getClass().getClassLoader(), false, properties)
                .parseFile("wscluster-infinispan.xml");
        holder.getGlobalConfigurationBuilder().transport().nodeName(name + "-" + i);
        DefaultCacheManager manager = new DefaultCacheManager(holder, true);
        for (String cache : caches) {
            manager.getCache(cache);
        }
        managers.add(manager);
        return manager;
    }

    /** Stops one node (a clean leave). */
    public void stop(DefaultCacheManager manager) {
        manager.stop();
        managers.remove(manager);
    }

    /** Stops every node still running. */
    @Override
    public void close() {
        managers.forEach(DefaultCacheManager::stop);
        managers.clear();
    }
}
