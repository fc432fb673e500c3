package org.peerobserver.support;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Durations as the settings write them and Camel reads them ({@code 10s}, {@code 2m}, {@code 500ms},
 * {@code 1h30m}, or ISO-8601 such as {@code PT10S}). Camel's own converter takes anything it cannot read
 * as zero, so a setting is checked here first.
 */
public final class DurationText {
    private static final Pattern UNITS = Pattern.compile("(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?");
    private static final Pattern BARE = Pattern.compile("\\d+");

    private DurationText() {
    }

    /** Whether {@code text} is a duration of zero or more (a bare number is not: its unit is the reader's). */
    public static boolean isDuration(String text) {
        String t = text.trim();
        if (UNITS.matcher(t).matches()) {
            return true;
        }
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                return !Duration.parse(t).isNegative();
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return false;
    }

    /** Whether {@code text} is a whole number of 0 or more, without a unit. */
    public static boolean isBareNumber(String text) {
        return BARE.matcher(text.trim()).matches();
    }

    /** Whether a setting or flag of durations takes {@code text}: a duration, or a bare number in the setting's own unit. */
    public static boolean isAccepted(String text) {
        return isBareNumber(text) || isDuration(text);
    }

    /** The unit a duration text ends with ({@code ms}, {@code s}, {@code m}, {@code h}, {@code d}), or null. */
    public static String unitOf(String text) {
        String t = text.trim();
        if (!UNITS.matcher(t).matches()) {
            return null;
        }
        return t.endsWith("ms") ? "ms" : t.substring(t.length() - 1);
    }

    /** {@code d} as a person writes it: 10s, 500ms, 1m30s, 0s. */
    public static String of(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return "0s";
        }
        StringBuilder s = new StringBuilder();
        append(s, d.toDaysPart(), "d");
        append(s, d.toHoursPart(), "h");
        append(s, d.toMinutesPart(), "m");
        append(s, d.toSecondsPart(), "s");
        append(s, d.toMillisPart(), "ms");
        return s.length() == 0 ? "0s" : s.toString();
    }

    private static void append(StringBuilder s, long amount, String unit) {
        if (amount > 0) {
            s.append(amount).append(unit);
        }
    }
}
