package io.wscluster.web.guard;

/**
 * Whether a raw path or query is well formed (RFC 3986: only the characters allowed there, every {@code %}
 * followed by two hex digits). The container answers malformed ones badly: Tyrus accepted such a handshake
 * and then failed decoding its parameters, leaving a socket never served nor closed, and JAX-RS answered
 * a malformed path with an empty 200.
 */
public final class UriSyntax {

    private static final String PATH_CHARS = "-._~!$&'()*+,;=:@/";
    private static final String QUERY_CHARS = PATH_CHARS + "?";

    private UriSyntax() {
    }

    /** Why the path is malformed, or null. An encoded NUL is refused too: the container cannot take it. */
    public static String pathProblem(String path) {
        String problem = problem(path, PATH_CHARS, "path");
        return problem == null && path.contains("%00") ? "an encoded NUL in the path" : problem;
    }

    /** Why the query is malformed, or null (also when there is none). */
    public static String queryProblem(String query) {
        return query == null ? null : problem(query, QUERY_CHARS, "query");
    }

    private static String problem(String text, String allowed, String part) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0 || Character.digit(text.charAt(i + 2), 16) < 0) {
                    return "malformed percent-encoding in the " + part + " at " + i;
                }
                i += 2;
            } else if (!(c < 128 && (Character.isLetterOrDigit(c) || allowed.indexOf(c) >= 0))) {
                return "character not allowed in a " + part + " at " + i;
            }
        }
        return null;
    }
}
