package io.wscluster.web.rest;

import io.wscluster.ops.MetricsHistory;
import io.wscluster.ops.MetricsSnapshot;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /api/metrics/history[?since=EPOCH_MS][&node=ID]}: every node's periodic snapshots, oldest first. */
@Path("metrics/history")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class MetricsHistoryResource {

    @Inject
    MetricsHistory history;

    @GET
    public List<MetricsSnapshot> history(@QueryParam("since") @DefaultValue("0") long since, @QueryParam("node") String node) {
        return history.since(since, node);
    }
}
