package org.peerobserver.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.Test;
import org.peerobserver.testing.RenderedLog;

/** The application's own log layout (LogConfiguration) on messages a stranger wrote into. */
class SafeTextConverterTest {
    private static final Logger LOG = LogManager.getLogger("org.peerobserver.test.strangers");
    static final String FORGED = "INFO  tool-logger - FAKE LINE";

    @Test
    void everyMessageStaysOneLineWithControlsEscaped() {
        List<String> hostile = List.of(
                "/x/\nINFO tool-logger - FAKE LINE",
                "/x/\r" + FORGED,
                "\u001b[2J\u001b[31mred\u001b[0m",
                "nul\u0000byte",
                "\u2028" + FORGED + "\u202e",
                "A".repeat(4096));
        try (RenderedLog log = new RenderedLog()) {
            hostile.forEach(text -> LOG.info("Peer said {}", text));
            LOG.warn("plain {} text", "/Satoshi:30.0.0/");
            byte[] bytes = log.bytes();
            List<String> lines = log.lines();
            assertEquals(hostile.size() + 1, lines.size(), String.join("\n", lines));
            for (byte b : bytes) {
                assertTrue(b == '\n' || (b & 0xff) >= 0x20 && b != 0x7f, "raw control byte " + b);
            }
            assertTrue(lines.stream().noneMatch(l -> l.startsWith("INFO") || l.contains("\r")), String.join("\n", lines));
            assertTrue(lines.get(0).endsWith("Peer said /x/\\nINFO tool-logger - FAKE LINE"), lines.get(0));
            assertTrue(lines.get(1).endsWith("Peer said /x/\\r" + FORGED), lines.get(1));
            assertTrue(lines.get(2).endsWith("Peer said \\x1b[2J\\x1b[31mred\\x1b[0m"), lines.get(2));
            assertTrue(lines.get(3).endsWith("Peer said nul\\x00byte"), lines.get(3));
            assertTrue(lines.get(4).endsWith("Peer said \\u2028" + FORGED + "\\u202e"), lines.get(4));
            // long text is kept whole up to the layout's bound
            assertTrue(lines.get(5).endsWith("A".repeat(4096)), lines.get(5));
            assertTrue(lines.get(6).endsWith("WARN  strangers - plain /Satoshi:30.0.0/ text"), lines.get(6));
        }
    }

    @Test
    void aMessageIsCutAtTheLayoutsBound() {
        try (RenderedLog log = new RenderedLog()) {
            LOG.info("x".repeat(100_000));
            List<String> lines = log.lines();
            assertEquals(1, lines.size());
            assertTrue(lines.get(0).endsWith("x".repeat(100) + "...(" + (100_000 - SafeTextConverter.DEFAULT_MAX) + " more)"),
                    lines.get(0).substring(lines.get(0).length() - 200));
            assertTrue(lines.get(0).length() < SafeTextConverter.DEFAULT_MAX + 100);
        }
    }

    @Test
    void anExceptionStillShowsItsFirstLineBelowTheMessage() {
        try (RenderedLog log = new RenderedLog()) {
            LOG.error("failed on {}", "a\nb", new IllegalStateException("broken"));
            List<String> lines = log.lines();
            assertTrue(lines.get(0).endsWith("failed on a\\nb"), lines.get(0));
            assertEquals("java.lang.IllegalStateException: broken", lines.get(1));
            assertFalse(String.join("\n", lines).contains("a\nb"));
        }
    }
}
