package io.wscluster.web.guard;

import io.wscluster.protocol.JsonText;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The JSON error body every refusal outside JAX-RS gets, the same {@code {"code","message"}} as the REST API's. */
final class ErrorResponses {

    private ErrorResponses() {
    }

    static void send(HttpServletResponse response, int status, String code, String message) throws IOException {
        byte[] body = JsonText.provider().createObjectBuilder().add("code", code).add("message", message).build()
                .toString().getBytes(StandardCharsets.UTF_8);
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }
}
