package io.wscluster.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The alert rules are valid and fire as their promtool unit tests expect (promtool: Debian's prometheus package). */
class AlertRulesTest {

    private static final File RULES = new File("prometheus");

    @Test
    void rulesAreValid() throws Exception {
        String output = promtool("check", "rules", "wscluster-alerts.yml");
        assertTrue(output.contains("SUCCESS: 8 rules found"), output);
    }

    @Test
    void rulesFireAsTheirUnitTestsExpect() throws Exception {
        String output = promtool("test", "rules", "wscluster-alerts-test.yml");
        assertTrue(output.contains("SUCCESS"), output);
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(RULES).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("promtool is needed to test the alert rules: apt-get install prometheus (bash .ci/run does)", e);
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println(output);
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
