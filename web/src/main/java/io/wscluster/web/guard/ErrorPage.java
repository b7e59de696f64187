package io.wscluster.web.guard;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The error page of every status the container answers itself (web.xml): the same JSON body as every other
 * refusal ({@code {"code","message"}}), never the container's HTML page. An unknown path is a 404 here.
 */
@WebServlet("/error")
public class ErrorPage extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int code = status instanceof Integer s ? s : HttpServletResponse.SC_NOT_FOUND;
        response.setStatus(code);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        byte[] body = ErrorResponses.body(name(code), message(code));
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static String name(int status) {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 413 -> "MESSAGE_TOO_LARGE";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            case 503 -> "UNAVAILABLE";
            default -> status >= 500 ? "INTERNAL" : "BAD_REQUEST";
        };
    }

    private static String message(int status) {
        return switch (status) {
            case 404 -> "no such path";
            case 405 -> "method not allowed on this path";
            case 503 -> "not available now";
            default -> status >= 500 ? "server error" : "request refused";
        };
    }
}
