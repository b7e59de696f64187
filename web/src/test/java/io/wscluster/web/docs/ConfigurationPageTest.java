package io.wscluster.web.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The configuration page cannot drift from the code: every key the code reads (the settings records'
 * {@code getOptionalValue}/{@code getValue} and helpers given the config, {@code @ConfigProperty}, the
 * {@code ${...}} of the Infinispan XML) and every environment variable {@code cluster.sh} reads is on docs/configuration.md, and every key
 * the page names is one the code reads.
 */
class ConfigurationPageTest {

    private static final Path ROOT = RepositoryFiles.ROOT;
    /** A key as the code reads it: from the Config (directly or through a helper taking it) or by @ConfigProperty. */
    private static final Pattern READ = Pattern.compile(
            "(?:getOptionalValue\\(|getValue\\(|name\\s*=\\s*|config,\\s*)\"(wscluster(?:\\.[a-z0-9-]+)+)\"");
    private static final Pattern XML_KEY = Pattern.compile("\\$\\{(wscluster\\.[a-z0-9.-]+)");
    private static final Pattern ENV = Pattern.compile("WSCLUSTER_[A-Z_]+");
    private static final Pattern DOC_KEY = Pattern.compile("`(wscluster\\.[a-z0-9.-]+)`");

    @Test
    void everyKeyTheCodeReadsIsDocumentedAndEveryDocumentedKeyIsRead() {
        Set<String> read = new TreeSet<>();
        for (String module : List.of("ejb", "web")) {
            sources(ROOT.resolve(module).resolve("src/main/java"), ".java").forEach(file -> collect(READ, text(file), read));
        }
        sources(ROOT.resolve("infinispan-config/src/main/resources"), ".xml").forEach(file -> collect(XML_KEY, text(file), read));
        assertTrue(read.size() > 50, "the code's keys were not found: " + read);
        String page = text(ROOT.resolve("docs/configuration.md"));
        Set<String> missing = new TreeSet<>(read);
        missing.removeIf(key -> page.contains("`" + key + "`"));
        assertEquals(Set.of(), missing, "read by the code, missing from docs/configuration.md");
        Set<String> documented = new TreeSet<>();
        collect(DOC_KEY, page, documented);
        documented.removeAll(read);
        assertEquals(Set.of(), documented, "on docs/configuration.md, read by nothing");
    }

    @Test
    void everyEnvironmentVariableOfClusterShIsDocumented() {
        Set<String> used = new TreeSet<>();
        Matcher matcher = ENV.matcher(text(ROOT.resolve("payara/cluster.sh")));
        while (matcher.find()) {
            used.add(matcher.group());
        }
        String page = text(ROOT.resolve("docs/configuration.md"));
        used.removeIf(page::contains);
        assertEquals(Set.of(), used, "read by cluster.sh, missing from docs/configuration.md");
    }

    private static void collect(Pattern pattern, String text, Set<String> into) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            for (int group = 1; group <= matcher.groupCount(); group++) {
                if (matcher.group(group) != null) {
                    into.add(matcher.group(group));
                }
            }
        }
    }

    private static List<Path> sources(Path dir, String suffix) {
        return RepositoryFiles.files(dir, suffix);
    }

    private static String text(Path file) {
        return RepositoryFiles.text(file);
    }
}
