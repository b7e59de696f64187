package io.wscluster.web.transport;

import java.io.IOException;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;

/** The last filter of an event stream's connection: a stream only goes out, so what the client sends is dropped unread. */
final class DiscardFilter extends BaseFilter {

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        if (ctx.getMessage() instanceof Buffer buffer) {
            buffer.tryDispose();
        }
        return ctx.getStopAction();
    }
}
