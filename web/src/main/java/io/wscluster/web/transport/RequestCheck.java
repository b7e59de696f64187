package io.wscluster.web.transport;

import io.wscluster.web.guard.ErrorResponses;
import io.wscluster.web.guard.UriSyntax;
import java.io.IOException;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;

/**
 * The first look at every request on a listener, right after its HTTP codec: the request's header is
 * whole (its {@link HeaderDeadline} ends), and a path the container would mishandle is refused here in
 * JSON: malformed percent-encoding (Payara's connector answered it with an empty 200 before any application
 * code ran) or an encoded NUL (an empty 400).
 */
final class RequestCheck extends BaseFilter {

    private final HeaderDeadline deadlines;

    RequestCheck(HeaderDeadline deadlines) {
        this.deadlines = deadlines;
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        if (ctx.getMessage() instanceof HttpContent content && content.getHttpHeader() instanceof HttpRequestPacket request) {
            deadlines.headerComplete(ctx.getConnection());
            String malformed = UriSyntax.pathProblem(request.getRequestURI());
            if (malformed != null) {
                UpgradeFilter.respond(ctx, request, 400, null, ErrorResponses.body("BAD_REQUEST", malformed), true);
                return ctx.getStopAction();
            }
        }
        return ctx.getInvokeAction();
    }
}
