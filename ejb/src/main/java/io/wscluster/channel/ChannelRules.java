package io.wscluster.channel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which channel names exist and how each behaves: exact names plus glob patterns in which {@code *}
 * stands for one or more name characters (so {@code chat.*} allows {@code chat.lobby} and
 * {@code chat.eu.sales}), each optionally followed by options in braces ({@link ChannelOptions}). An
 * exact name wins over patterns; among patterns, the first in configuration order.
 */
public final class ChannelRules {

    private record Rule(Pattern pattern, ChannelOptions options) {
    }

    private final List<String> entries;
    private final Map<String, ChannelOptions> names = new HashMap<>();
    private final List<Rule> patterns = new ArrayList<>();

    private ChannelRules(List<String> entries) {
        this.entries = List.copyOf(entries);
        for (String entry : this.entries) {
            int brace = entry.indexOf('{');
            String name = brace < 0 ? entry : entry.substring(0, brace).trim();
            ChannelOptions options = brace < 0 ? ChannelOptions.DEFAULTS
                    : ChannelOptions.parse(entry.substring(brace + 1, entry.length() - 1));
            if (name.contains("*")) {
                patterns.add(new Rule(Pattern.compile(toRegex(name)), options));
            } else {
                names.putIfAbsent(name, options);
            }
        }
    }

    /**
     * @throws IllegalArgumentException naming the first entry that is neither a valid name nor a valid
     *     pattern, or whose options do not parse
     */
    public static ChannelRules of(List<String> entries) {
        List<String> cleaned = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int brace = entry.indexOf('{');
            if (brace >= 0 && !entry.endsWith("}")) {
                throw new IllegalArgumentException("invalid channel entry '" + entry + "': options go in {...} at the end");
            }
            String name = brace < 0 ? entry : entry.substring(0, brace).trim();
            // A pattern is valid when it would be a valid name with its wildcards filled in.
            if (!ChannelNames.isValid(name.replace('*', 'x'))) {
                throw new IllegalArgumentException("invalid channel entry '" + entry + "': " + ChannelNames.rule());
            }
            try {
                if (brace >= 0) {
                    ChannelOptions.parse(entry.substring(brace + 1, entry.length() - 1));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid channel entry '" + entry + "': " + e.getMessage(), e);
            }
            cleaned.add(entry);
        }
        return new ChannelRules(cleaned);
    }

    public boolean allows(String name) {
        return find(name).isPresent();
    }

    /** The options of the channel, if the configuration allows it. */
    public Optional<ChannelOptions> find(String name) {
        ChannelOptions exact = names.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (Rule rule : patterns) {
            if (rule.pattern().matcher(name).matches()) {
                return Optional.of(rule.options());
            }
        }
        return Optional.empty();
    }

    /** The configured entries, options included, in configuration order. */
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
