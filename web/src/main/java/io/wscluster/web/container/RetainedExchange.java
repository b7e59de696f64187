package io.wscluster.web.container;

import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.lang.reflect.Array;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gives back, once a connection is upgraded, what the container keeps of its handshake for the life of the
 * connection although nothing reads it again: Grizzly's parsed request and response headers, its parsed
 * query parameters and the parser's two 2-KB scratch buffers, and Tyrus's copy of the handshake; together
 * about a third of an idle connection's heap (found with {@code bench/HeapOwners.java}). Payara's Catalina
 * request holds Grizzly's request and response until the connection closes and then recycles them into
 * its pools; what is emptied here is made again, lazily, when they serve the next request. Should the
 * internals change, nothing is released (logged once) and nothing else changes.
 */
public final class RetainedExchange {

    private static final Logger LOG = Logger.getLogger(RetainedExchange.class.getName());
    /** What Grizzly's {@code MimeHeaders} starts with; its fields are made as headers are added. */
    private static final int HEADER_SLOTS = 8;

    private final AtomicBoolean warned = new AtomicBoolean();
    // One member per class of packet: a Member keeps the method of the class it last saw.
    private final Member requestHeaders = Member.method("getHeaders");
    private final Member responseHeaders = Member.method("getHeaders");
    private final Member clearHeaders = Member.method("clear");
    private final Member headerFields = Member.field("headers");
    private final Member parameters = Member.field("parameters");
    private final Member recycleParameters = Member.method("recycle");
    private final Member nameScratch = Member.field("tmpNameC");
    private final Member valueScratch = Member.field("tmpValueC");
    private final Member dropBuffer = Member.method("reset");
    private final Member upgradeInfo = Member.field("upgradeInfo");

    /**
     * Empties Grizzly's request and response of the handshake; call before the upgrade handler is
     * initialised: the 101 response is written by then, and nothing can close the connection (and recycle
     * the request for another) until the handler reads. {@code container} is Payara's own web connection.
     */
    public void releaseHttp(WebConnection container) {
        try {
            Object request = GrizzlyExchange.request(container);
            empty(requestHeaders.read(GrizzlyExchange.requestPacket(request)));
            empty(responseHeaders.read(GrizzlyExchange.responsePacket(GrizzlyExchange.response(container))));
            Object query = parameters.read(request);
            recycleParameters.read(query); // parsed again from the query string if anything asks
            dropBuffer.read(nameScratch.read(query));
            dropBuffer.read(valueScratch.read(query));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            warn(container, e);
        }
    }

    /** Drops Tyrus's handshake (request, response, extension context), which it reads only to open the session. */
    public void releaseTyrus(HttpUpgradeHandler initialised) {
        try {
            upgradeInfo.write(initialised, null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            warn(initialised, e);
        }
    }

    private void warn(Object holder, Throwable failure) {
        if (warned.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "Cannot release what " + holder.getClass().getName()
                    + " keeps of the handshake; each connection keeps it while it lives", failure);
        }
    }

    /** Clears the headers and drops their fields (name and value chunks of each), not just their contents. */
    private void empty(Object mimeHeaders) throws ReflectiveOperationException {
        if (mimeHeaders == null) {
            return;
        }
        clearHeaders.read(mimeHeaders);
        Object fields = headerFields.read(mimeHeaders);
        headerFields.write(mimeHeaders, Array.newInstance(fields.getClass().getComponentType(), HEADER_SLOTS));
    }
}
