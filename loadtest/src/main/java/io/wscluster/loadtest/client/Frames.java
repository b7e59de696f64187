package io.wscluster.loadtest.client;

/** Just enough reading of the server's JSON frames for a load test: no objects, no copies of the payload. */
final class Frames {

    private static final String TYPE = "\"type\":\"";

    private Frames() {
    }

    static String type(String frame) {
        return string(frame, TYPE);
    }

    /** The string value after {@code key} (which ends with its opening quote), or "" when absent. */
    static String string(String frame, String key) {
        int at = frame.indexOf(key);
        if (at < 0) {
            return "";
        }
        int from = at + key.length();
        int end = frame.indexOf('"', from);
        return end < 0 ? "" : frame.substring(from, end);
    }

    /** The integer after {@code key}, searching from {@code from}; -1 when absent. */
    static long number(String frame, String key, int from) {
        int at = frame.indexOf(key, from);
        if (at < 0) {
            return -1;
        }
        int start = at + key.length();
        int end = start;
        while (end < frame.length() && (Character.isDigit(frame.charAt(end)) || frame.charAt(end) == '-')) {
            end++;
        }
        return end == start ? -1 : Long.parseLong(frame, start, end, 10);
    }

    static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() > 80 ? line.substring(0, 80) : line;
    }
}
