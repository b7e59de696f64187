package io.wscluster.web.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The checkout the docs tests read: its root (this module's parent) and its files as text, build output left out. */
final class RepositoryFiles {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> SKIPPED = Set.of(".git", "target", "node_modules", "results");

    private RepositoryFiles() {
    }

    /** Every file below {@code dir} whose name ends with {@code suffix}, none of build output or dependencies. */
    static List<Path> files(Path dir, String suffix) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(suffix))
                    .filter(f -> Arrays.stream(ROOT.relativize(f).toString().split("/")).noneMatch(SKIPPED::contains)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
