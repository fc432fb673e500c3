package org.peerobserver.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SafeTextTest {
    @Test
    void plainTextIsKeptAsItIs() {
        String agent = "/Satoshi:30.0.0/";
        assertSame(agent, SafeText.of(agent));
        assertEquals("null", SafeText.of(null));
    }

    @Test
    void controlsAndSeparatorsBecomeVisibleEscapes() {
        assertEquals("/x/\\nINFO tool-logger - FAKE LINE", SafeText.of("/x/\nINFO tool-logger - FAKE LINE"));
        assertEquals("a\\rb\\tc\\x00d\\x1b[31mred\\x7f\\x85", SafeText.of("a\rb\tc\u0000d\u001b[31mred\u007f\u0085"));
        assertEquals("left\\u202eright\\u2028\\u2066", SafeText.of("left\u202eright\u2028\u2066"));
    }

    @Test
    void longTextIsCutAndSaysHowMuchWasLeftOut() {
        String cut = SafeText.of("a".repeat(4096));
        assertEquals("a".repeat(256) + "...(3840 more)", cut);
        assertEquals("ab...(1 more)", SafeText.of("abc", 2));
        // escapes count as what they show, so a line of newlines cannot grow fivefold
        String escaped = SafeText.of("\n".repeat(1000), 10);
        assertTrue(escaped.startsWith("\\n\\n\\n\\n\\n"), escaped);
        assertTrue(escaped.length() < 30, escaped);
        assertFalse(escaped.contains("\n"));
    }

    @Test
    void quotedEscapesQuotesAndBackslashesToo() {
        assertEquals("\"a\\\"b\\\\c\\nd\"", SafeText.quoted("a\"b\\c\nd"));
        assertEquals("null", SafeText.quoted(null));
        assertEquals("\"" + "a".repeat(256) + "...(10 more)\"", SafeText.quoted("a".repeat(266)));
    }

    @Test
    void inPlaceChangesOnlyTheTailAndOnlyWhenNeeded() {
        StringBuilder b = new StringBuilder("12:00 INFO x - ").append("fine");
        SafeText.inPlace(b, 15, 100);
        assertEquals("12:00 INFO x - fine", b.toString());
        b.append("\nINFO forged\u001b");
        SafeText.inPlace(b, 15, 100);
        assertEquals("12:00 INFO x - fine\\nINFO forged\\x1b", b.toString());
        b.setLength(15);
        SafeText.inPlace(b.append("y".repeat(12)), 15, 10);
        assertEquals("12:00 INFO x - " + "y".repeat(10) + "...(2 more)", b.toString());
    }
}
