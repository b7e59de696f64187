package io.wscluster.web.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import java.util.Set;

/**
 * The REST API, under {@code /api}: its resources and mappers named, not scanned for (a scan also finds the
 * backend's Rest Client interface and warns that it cannot be made); Jersey's WADL, which would list the
 * operations API to anyone, is off.
 */
@ApplicationPath("api")
public class RestApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(AdminResource.class, AffinityResource.class, ChannelResource.class, ClusterResource.class,
                MetricsHistoryResource.class, PublishResource.class, ScaleResource.class, UserResource.class,
                HttpErrorMapper.class, RejectionMapper.class);
    }

    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.wadl.disableWadl", true);
    }
}
