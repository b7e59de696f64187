package io.wscluster.web.guard;

import io.wscluster.protocol.JsonText;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The JSON error body every refusal outside JAX-RS gets, the same {@code {"code","message"}} as the REST API's. */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    /** The body, UTF-8. */
    public static byte[] body(String code, String message) {
        return JsonText.provider().createObjectBuilder().add("code", code).add("message", message).build()
                .toString().getBytes(StandardCharsets.UTF_8);
    }

    static void send(HttpServletResponse response, int status, String code, String message) throws IOException {
        byte[] body = body(code, message);
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }
}
