package io.wscluster.channel;

import io.wscluster.api.MessageRejectedException;
import io.wscluster.api.ErrorCode;
import java.util.regex.Pattern;

/**
 * The naming rule for channels: 1 to 128 of letters, digits and {@code . _ - : @ #}, starting with a
 * letter or digit. Dots separate levels by convention ({@code chat.lobby}); a {@code #} makes the channel
 * one user's: {@code inbox#alice} is for alice alone (see {@link #owner}).
 */
public final class ChannelNames {

    public static final int MAX_LENGTH = 128;
    static final String CHAR_CLASS = "[A-Za-z0-9._:@#-]";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9]" + CHAR_CLASS + "{0," + (MAX_LENGTH - 1) + "}");

    private ChannelNames() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /** @throws MessageRejectedException with INVALID_CHANNEL, naming the rule, for a malformed name */
    public static void requireValid(String name) {
        if (!isValid(name)) {
            throw new MessageRejectedException(ErrorCode.INVALID_CHANNEL, rule());
        }
    }

    public static String rule() {
        return "channel names are 1-" + MAX_LENGTH
                + " of letters, digits and . _ - : @ # starting with a letter or digit";
    }

    /** The user a channel belongs to: what follows its last {@code #} ({@code inbox#alice}: alice); empty for shared channels. */
    public static java.util.Optional<String> owner(String name) {
        int hash = name.lastIndexOf('#');
        return hash < 0 ? java.util.Optional.empty() : java.util.Optional.of(name.substring(hash + 1));
    }
}
