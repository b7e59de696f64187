package io.wscluster.protocol;

import java.util.regex.Pattern;

/** The naming rule for user ids: 1 to 128 of letters, digits and {@code . _ - @ :}. */
public final class UserIds {

    public static final int MAX_LENGTH = 128;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._@:-]{1," + MAX_LENGTH + "}");

    private UserIds() {
    }

    /** What a valid user id looks like, for error messages. */
    public static final String RULE = "user id must be 1-" + MAX_LENGTH + " of letters, digits and . _ - @ :";

    public static boolean isValid(String userId) {
        return userId != null && VALID.matcher(userId).matches();
    }
}
