package io.wscluster.web.container;

import jakarta.servlet.http.WebConnection;

/**
 * The one path from Payara's web connection of an upgraded request down to Grizzly's request and response
 * under it (Payara's connection, its Catalina request or response, Grizzly's, and Grizzly's packet), for
 * whatever reaches below the servlet API.
 */
public final class GrizzlyExchange {

    private static final Member CATALINA_REQUEST = Member.field("request");
    private static final Member CATALINA_RESPONSE = Member.field("response");
    private static final Member GRIZZLY_REQUEST = Member.method("getCoyoteRequest");
    private static final Member GRIZZLY_RESPONSE = Member.method("getCoyoteResponse");
    private static final Member REQUEST_PACKET = Member.method("getRequest");
    private static final Member RESPONSE_PACKET = Member.method("getResponse");

    private GrizzlyExchange() {
    }

    /** Grizzly's server request ({@code org.glassfish.grizzly.http.server.Request}); null if not set. */
    public static Object request(WebConnection container) throws ReflectiveOperationException {
        return GRIZZLY_REQUEST.read(CATALINA_REQUEST.read(container));
    }

    /** Grizzly's server response ({@code org.glassfish.grizzly.http.server.Response}); null if not set. */
    public static Object response(WebConnection container) throws ReflectiveOperationException {
        return GRIZZLY_RESPONSE.read(CATALINA_RESPONSE.read(container));
    }

    /** The HTTP packet ({@code HttpRequestPacket}, which knows the Grizzly connection) of Grizzly's request. */
    public static Object requestPacket(Object grizzlyRequest) throws ReflectiveOperationException {
        return REQUEST_PACKET.read(grizzlyRequest);
    }

    /** The HTTP packet ({@code HttpResponsePacket}) of Grizzly's response. */
    public static Object responsePacket(Object grizzlyResponse) throws ReflectiveOperationException {
        return RESPONSE_PACKET.read(grizzlyResponse);
    }
}
