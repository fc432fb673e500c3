package org.peerobserver.support;

/**
 * Text a stranger wrote (a peer's user agent, an address, a reject reason, a debug.log line, an RPC
 * string), made fit for one log line: control characters, line and paragraph separators and
 * bidirectional overrides become visible escapes ({@code \n}, {@code \x1b}, {@code \u202e}), so
 * nobody can forge a line, colour a terminal or reorder what an operator reads; and it is cut, so
 * nobody can fill the log.
 */
public final class SafeText {
    /** Bitcoin Core keeps this many bytes of a user agent; a sane bound for any one field. */
    public static final int DEFAULT_MAX = 256;

    private SafeText() {
    }

    /** {@link #of(CharSequence, int)} with {@link #DEFAULT_MAX}. */
    public static String of(CharSequence text) {
        return of(text, DEFAULT_MAX);
    }

    /**
     * At most {@code max} characters of {@code text} (escapes count as the characters they show), then
     * {@code ...(N more)} when cut; {@code null} as {@code "null"}, as a log line shows it.
     */
    public static String of(CharSequence text, int max) {
        if (text == null) {
            return "null";
        }
        if (text.length() <= max && clean(text, 0, text.length())) {
            return text.toString();
        }
        return escape(text, max, false);
    }

    /**
     * {@code text} as {@link #of(CharSequence)} makes it, with quotes and backslashes escaped too and in
     * quotes: a value in a {@code key=value} line that cannot pass for another field ({@code null} unquoted).
     */
    public static String quoted(CharSequence text) {
        return text == null ? "null" : '"' + escape(text, DEFAULT_MAX, true) + '"';
    }

    private static String escape(CharSequence text, int max, boolean quote) {
        int length = text.length();
        StringBuilder out = new StringBuilder(Math.min(length, max) + 16);
        int i = 0;
        for (; i < length && out.length() < max; i++) {
            char c = text.charAt(i);
            if (quote && (c == '"' || c == '\\')) {
                out.append('\\').append(c);
            } else if (!unsafe(c)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x100) {
                out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (i < length) {
            out.append("...(").append(length - i).append(" more)");
        }
        return out.toString();
    }

    /**
     * Makes what {@code text} holds from {@code from} on safe, as {@link #of(CharSequence, int)} does, in place:
     * for a log layout, which renders every message into one builder. Text that is already safe is not copied.
     */
    public static void inPlace(StringBuilder text, int from, int max) {
        int end = text.length();
        if (end - from <= max && clean(text, from, end)) {
            return;
        }
        String safe = of(text.subSequence(from, end), max);
        text.setLength(from);
        text.append(safe);
    }

    private static boolean clean(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (unsafe(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** C0 and C1 controls, DEL, line/paragraph separators, and the bidirectional marks and overrides. */
    static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                || (c >= '\u200e' && c <= '\u200f') || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
