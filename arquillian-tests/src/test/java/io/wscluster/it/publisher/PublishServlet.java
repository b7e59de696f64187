package io.wscluster.it.publisher;

import io.wscluster.api.BroadcastService;
import io.wscluster.api.MessageRejectedException;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.transaction.UserTransaction;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * A second application on the same Payara Micro instance, calling wscluster's broadcast EJB through
 * its portable JNDI name, as any other application would: {@code /publisher/publish?channel=&data=}
 * or {@code ?user=&data=}; answers with the message id, or 400 and the rejection code. With {@code
 * tx=commit} or {@code tx=rollback} it publishes inside a JTA transaction it then ends so; with {@code
 * before=DATA} it also publishes DATA outside the transaction, after the transactional publish and before
 * the commit (answering with both ids, the transaction's first). The server API's other calls: {@code
 * op=broadcast&channels=a,b&data=} (one line per result: {@code target id} or {@code target CODE}),
 * {@code op=disconnect&user=&code=}, {@code op=info&channel=} ({@code subscribers}).
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
            String tx = request.getParameter("tx");
            String op = request.getParameter("op");
            if (op != null) {
                response.getWriter().print(serverApi(broadcast, op, request));
                return;
            }
            if (tx == null) {
                String id = channel != null ? broadcast.publish(channel, data) : broadcast.sendToUser(request.getParameter("user"), data);
                response.getWriter().print(id);
                return;
            }
            UserTransaction transaction = (UserTransaction) new InitialContext().lookup("java:comp/UserTransaction");
            transaction.begin();
            String id;
            String outside = null;
            try {
                id = broadcast.publish(channel, data);
                String before = request.getParameter("before");
                if (before != null) {
                    // A managed task does not carry the transaction: its publish goes out at once.
                    ManagedExecutorService executor = (ManagedExecutorService) new InitialContext()
                            .lookup("java:comp/DefaultManagedExecutorService");
                    outside = executor.supplyAsync(() -> broadcast.publish(channel, before)).join();
                }
            } finally {
                if ("commit".equals(tx)) {
                    transaction.commit();
                } else {
                    transaction.rollback();
                }
            }
            response.getWriter().print(outside == null ? id : id + "," + outside);
        } catch (MessageRejectedException e) {
            response.setStatus(400);
            response.getWriter().print(e.code().name());
        } catch (NamingException e) {
            response.setStatus(500);
            response.getWriter().print("lookup failed: " + e);
        } catch (jakarta.transaction.NotSupportedException | jakarta.transaction.SystemException
                | jakarta.transaction.RollbackException | jakarta.transaction.HeuristicMixedException
                | jakarta.transaction.HeuristicRollbackException e) {
            response.setStatus(500);
            response.getWriter().print("transaction failed: " + e);
        }
    }

    private static String serverApi(BroadcastService broadcast, String op, HttpServletRequest request) {
        return switch (op) {
            case "broadcast" -> broadcast.broadcast(List.of(request.getParameter("channels").split(",")), request.getParameter("data"))
                    .stream().map(r -> r.target() + " " + (r.sent() ? r.id() : r.error().name())).collect(Collectors.joining("\n"));
            case "disconnect" -> {
                broadcast.disconnect(request.getParameter("user"), Integer.parseInt(request.getParameter("code")), "by the EJB", 0);
                yield "ok";
            }
            case "info" -> Integer.toString(broadcast.channelInfo(request.getParameter("channel")).subscribers());
            default -> throw new IllegalArgumentException(op);
        };
    }
}
