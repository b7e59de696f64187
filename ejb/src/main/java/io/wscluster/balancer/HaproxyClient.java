package io.wscluster.balancer;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Runs commands on HAProxy's runtime API for the balancer's syncs and says what HAProxy answered: map
 * edits quietly (FINE), server changes at INFO, refusals at WARNING.
 */
@ApplicationScoped
public class HaproxyClient {

    private static final Logger LOG = Logger.getLogger(HaproxyClient.class.getName());

    @Inject
    Config config;

    private HaproxySettings settings;
    private HaproxyRuntimeApi api;

    @PostConstruct
    void init() {
        settings = HaproxySettings.from(config);
        api = settings.runtimeApi().map(HaproxyRuntimeApi::new).orElse(null);
    }

    public HaproxySettings settings() {
        return settings;
    }

    /** Whether HAProxy is to be kept in step at all ({@code wscluster.haproxy.runtime-api} is set). */
    public boolean enabled() {
        return api != null;
    }

    /** One command's answer. */
    public String ask(String command) throws IOException {
        return api.execute(List.of(command)).get(0);
    }

    /** Runs the commands in order on one connection and logs what HAProxy said to each. */
    public void run(List<String> commands) throws IOException {
        if (commands.isEmpty()) {
            return;
        }
        List<String> answers = api.execute(commands);
        for (int i = 0; i < commands.size(); i++) {
            String command = commands.get(i);
            String answer = answers.get(i);
            if (command.startsWith("add map") || command.startsWith("set map") || command.startsWith("del map")) {
                if (!answer.isEmpty()) {
                    LOG.fine(() -> command + ": " + answer);
                }
            } else if (!answer.isEmpty() && !answer.startsWith("New server") && !answer.startsWith("Server deleted")) {
                LOG.warning(() -> "HAProxy refused '" + command + "': " + answer);
            } else if (!command.startsWith("enable health")) {
                LOG.info(() -> "HAProxy: " + command);
            }
        }
    }
}
