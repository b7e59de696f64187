package io.wscluster.it.publisher;

import io.wscluster.api.BroadcastService;
import io.wscluster.api.MessageRejectedException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * A second application on the same Payara Micro instance, calling wscluster's broadcast EJB through
 * its portable JNDI name, as any other application would: {@code /publisher/publish?channel=&data=}
 * or {@code ?user=&data=}; answers with the message id, or 400 and the rejection code.
 */
@WebServlet("/publish")
public class PublishServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String JNDI_NAME = "java:global/wscluster/DefaultBroadcastService!io.wscluster.api.BroadcastService";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        try {
            BroadcastService broadcast = (BroadcastService) new InitialContext().lookup(JNDI_NAME);
            String data = request.getParameter("data");
            String channel = request.getParameter("channel");
            String id = channel != null ? broadcast.publish(channel, data) : broadcast.sendToUser(request.getParameter("user"), data);
            response.getWriter().print(id);
        } catch (MessageRejectedException e) {
            response.setStatus(400);
            response.getWriter().print(e.code().name());
        } catch (NamingException e) {
            response.setStatus(500);
            response.getWriter().print("lookup failed: " + e);
        }
    }
}
