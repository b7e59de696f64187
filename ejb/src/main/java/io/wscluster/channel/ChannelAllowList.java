package io.wscluster.channel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which channel names exist: exact names plus glob patterns in which {@code *} stands for one or more
 * name characters (so {@code chat.*} allows {@code chat.lobby} and {@code chat.eu.sales}).
 */
public final class ChannelAllowList {

    private final List<String> entries;
    private final Set<String> names = new LinkedHashSet<>();
    private final List<Pattern> patterns = new ArrayList<>();

    private ChannelAllowList(List<String> entries) {
        this.entries = List.copyOf(entries);
        for (String entry : this.entries) {
            if (entry.contains("*")) {
                patterns.add(Pattern.compile(toRegex(entry)));
            } else {
                names.add(entry);
            }
        }
    }

    /**
     * @throws IllegalArgumentException naming the first entry that is neither a valid name nor a valid pattern
     */
    public static ChannelAllowList of(List<String> entries) {
        List<String> cleaned = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            // A pattern is valid when it would be a valid name with its wildcards filled in.
            if (!ChannelNames.isValid(entry.replace('*', 'x'))) {
                throw new IllegalArgumentException("invalid channel entry '" + entry + "': " + ChannelNames.rule());
            }
            cleaned.add(entry);
        }
        return new ChannelAllowList(cleaned);
    }

    public boolean allows(String name) {
        if (names.contains(name)) {
            return true;
        }
        for (Pattern pattern : patterns) {
            if (pattern.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** The configured entries, in configuration order. */
    public List<String> entries() {
        return entries;
    }

    private static String toRegex(String glob) {
        List<String> literals = new ArrayList<>();
        for (String part : glob.split("\\*", -1)) {
            literals.add(part.isEmpty() ? "" : Pattern.quote(part));
        }
        return String.join(ChannelNames.CHAR_CLASS + "+", literals);
    }
}
