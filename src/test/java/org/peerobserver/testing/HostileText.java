package org.peerobserver.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Text a stranger writes to forge log lines, colour or clear a terminal, cut a line short or flood the
 * log; and what the application's log must look like after it: one line per log event, no raw control
 * character, no forged line, no line over a bound.
 */
public final class HostileText {
    /** A line as the logger tool writes it: a forged copy must never start a line of its own. */
    public static final String FORGED = "INFO  tool-logger - FAKE LINE";
    public static final String NEWLINE = "/x/\n" + FORGED;
    public static final String CR = "/x/\r" + FORGED;
    public static final String ANSI = "\u001b[2J\u001b[31mred\u001b[0m";
    public static final String NUL = "nul\u0000byte";
    public static final String LONG = "A".repeat(4096);
    public static final List<String> INPUTS = List.of(NEWLINE, CR, ANSI, NUL, LONG);

    /** How each input shows in a log line once escaped (a prefix of it, for the long one). */
    public static final List<String> ESCAPED = List.of("/x/\\n" + FORGED, "/x/\\r" + FORGED,
            "\\x1b[2J\\x1b[31mred\\x1b[0m", "nul\\x00byte", "A".repeat(200));

    private HostileText() {
    }

    /**
     * The log holds exactly one line per log event, none longer than {@code maxLine} characters, no raw
     * control, separator or bidirectional character, and no line a stranger forged.
     */
    public static void assertSafe(RenderedLog log, int maxLine) {
        String text = new String(log.bytes(), StandardCharsets.UTF_8);
        assertFalse(log.sawThrowable(), "an exception was logged:\n" + text);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                    || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
            assertFalse(unsafe, () -> "raw character 0x" + Integer.toHexString(c) + " in the log:\n" + text);
        }
        List<String> lines = log.lines();
        assertEquals(log.events(), lines.size(), "one line per log event:\n" + text);
        for (String line : lines) {
            assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) [A-Z]+ +\\S+ - .*"),
                    () -> "not a log line: " + line);
            assertFalse(line.startsWith(FORGED), line);
            assertTrue(line.length() <= maxLine, () -> line.length() + " characters: " + line.substring(0, 300));
        }
    }

    /** Every input reached the log, escaped, in a line that {@code lineFilter} text is part of. */
    public static void assertAllShown(RenderedLog log, String lineFilter) {
        List<String> lines = log.lines().stream().filter(l -> l.contains(lineFilter)).toList();
        for (String shown : ESCAPED) {
            assertTrue(lines.stream().anyMatch(l -> l.contains(shown)),
                    () -> "no line with " + lineFilter + " shows " + shown + ":\n" + String.join("\n", lines));
        }
    }
}
