package io.wscluster.web.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wscluster.api.ErrorCode;
import io.wscluster.protocol.CloseCodes;
import jakarta.websocket.CloseReason;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The reference pages cannot drift: every error code and close code the code uses is in PROTOCOL.md's
 * tables (and the error table names no code the code lacks), every relative link in the Markdown resolves
 * to a file (and heading) of the repository, and nothing in the repository points at files outside it.
 */
class ReferencePagesTest {

    private static final Path ROOT = RepositoryFiles.ROOT;

    @Test
    void everyErrorCodeIsInProtocolMdAndItsTableNamesNoOther() {
        String table = section(text(ROOT.resolve("PROTOCOL.md")), "## Error codes");
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([A-Z_]+)` \\|").matcher(table);
        while (row.find()) {
            documented.add(row.group(1));
        }
        Set<String> codes = Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(codes, documented, "ErrorCode against PROTOCOL.md's error code table");
    }

    @Test
    void everyCloseCodeTheNodeSendsIsInProtocolMd() throws IllegalAccessException {
        String table = section(text(ROOT.resolve("PROTOCOL.md")), "## Close codes");
        List<Integer> sent = new ArrayList<>();
        for (Field field : CloseCodes.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == CloseReason.CloseCode.class) {
                sent.add(((CloseReason.CloseCode) field.get(null)).getCode());
            } else if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                sent.add(field.getInt(null));
            }
        }
        // The transport's own closes (frame scanner, partial-frames budget).
        Matcher literal = Pattern.compile("static final int [A-Z_]+ = (\\d{4});")
                .matcher(sources(ROOT.resolve("web/src/main/java/io/wscluster/web/transport")));
        while (literal.find()) {
            sent.add(Integer.parseInt(literal.group(1)));
        }
        assertTrue(sent.size() > 10, "close codes found: " + sent);
        List<Integer> missing = sent.stream().filter(code -> !documents(table, code)).distinct().sorted().toList();
        assertEquals(List.of(), missing, "sent by the node, missing from PROTOCOL.md's close code table");
    }

    @Test
    void everyRelativeLinkInTheDocsResolves() {
        Pattern link = Pattern.compile("\\]\\(([^)\\s]+)\\)");
        List<String> broken = new ArrayList<>();
        for (Path page : markdown()) {
            Matcher matcher = link.matcher(text(page));
            while (matcher.find()) {
                String target = matcher.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue; // http:, https:, mailto:
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                    broken.add(ROOT.relativize(page) + ": " + target);
                } else if (hash >= 0 && resolved.toString().endsWith(".md") && !anchors(text(resolved)).contains(target.substring(hash + 1))) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void nothingInTheRepositoryPointsOutsideIt() {
        Pattern outside = Pattern.compile("STACK\\.md|\\.\\./shared/|/work/");
        List<String> found = RepositoryFiles.files(ROOT, "").stream()
                .filter(f -> f.toString().matches(".*\\.(java|md|xml|sh|cfg|yaml|yml|properties|js|mjs|asadmin|py|json)$")
                        || f.getFileName().toString().equals("run") || f.getFileName().toString().equals("Containerfile"))
                .filter(f -> !f.getFileName().toString().equals("ReferencePagesTest.java"))
                .filter(f -> outside.matcher(RepositoryFiles.text(f)).find())
                .map(f -> ROOT.relativize(f).toString()).toList();
        assertEquals(List.of(), found, "files naming something outside the repository");
    }

    /** Whether a close code table has a row for {@code code}, itself or in a range {@code A–B}. */
    private static boolean documents(String table, int code) {
        Matcher row = Pattern.compile("(?m)^\\| (\\d{4})(?:[–-](\\d{4}))? \\|").matcher(table);
        while (row.find()) {
            int from = Integer.parseInt(row.group(1));
            int to = row.group(2) == null ? from : Integer.parseInt(row.group(2));
            if (code >= from && code <= to) {
                return true;
            }
        }
        return false;
    }

    /** GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as hyphens. */
    private static Set<String> anchors(String page) {
        Set<String> anchors = new TreeSet<>();
        Matcher heading = Pattern.compile("(?m)^#{1,6} (.+)$").matcher(page);
        while (heading.find()) {
            anchors.add(heading.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
        }
        return anchors;
    }

    private static List<Path> markdown() {
        return RepositoryFiles.files(ROOT, ".md");
    }

    private static String section(String page, String heading) {
        int start = page.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "no section " + heading);
        int end = page.indexOf("\n## ", start + heading.length() + 2);
        return page.substring(start, end < 0 ? page.length() : end);
    }

    private static String sources(Path dir) {
        return RepositoryFiles.files(dir, ".java").stream().map(RepositoryFiles::text).collect(Collectors.joining("\n"));
    }

    private static String text(Path file) {
        return RepositoryFiles.text(file);
    }
}
