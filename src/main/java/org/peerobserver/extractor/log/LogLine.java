package org.peerobserver.extractor.log;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.peerobserver.proto.log.LogDebugCategory;

/**
 * One debug.log line split into its time, category and message.
 *
 * <p>The line must start with Bitcoin Core's timestamp, {@code YYYY-MM-DDTHH:MM:SS[.ffffff]Z} and
 * whitespace; otherwise it did not parse ({@link #parsed()} is false, time 0, category UNKNOWN,
 * empty message), as upstream does. A {@code (mocktime: ...)} after the timestamp is skipped.
 *
 * <p>Core writes, in this order: {@code [thread]} with -logthreadnames, {@code [file:line] [function]}
 * with -logsourcelocations, then the category and level, {@code [net]}, {@code [net:info]} or a bare
 * {@code [warning]}. Upstream takes the first bracket as the category, so thread names and source
 * locations hide it. Here the category token is the <em>last</em> category-shaped token among the
 * first four brackets: a known category name, optionally with {@code :level}, any lower-case name with a
 * {@code :level}, or a bare level. A level suffix is dropped ({@code [net:debug]} is NET); a bare level,
 * or a category the enum lacks, is UNKNOWN. Everything up to and including that token is removed from
 * the message; without one, the message is the whole text after the timestamp. The one case this
 * cannot tell apart: with -logthreadnames, an uncategorised line from a thread named like a category
 * ({@code [net] ...}) reads as that category.
 */
record LogLine(boolean parsed, long timestampMicros, LogDebugCategory category, String message) {

    static final LogLine UNPARSED = new LogLine(false, 0, LogDebugCategory.UNKNOWN, "");

    private static final int MAX_PREFIX_TOKENS = 4;
    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warning", "error");
    /** Core category names; those the upstream enum lacks map to UNKNOWN but are still category tokens. */
    private static final Map<String, LogDebugCategory> CATEGORIES = Stream.concat(
                    Stream.of(LogDebugCategory.values()).filter(c -> c != LogDebugCategory.UNKNOWN)
                            .map(c -> Map.entry(c.name().toLowerCase(Locale.ROOT), c)),
                    Stream.of("lock", "kernel", "all").map(n -> Map.entry(n, LogDebugCategory.UNKNOWN)))
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

    static LogLine parse(String line) {
        int end = timestampEnd(line);
        if (end < 0 || end == line.length() || !isSpace(line.charAt(end))) {
            return UNPARSED;
        }
        long micros = micros(line, end);
        int rest = skipSpaces(line, end);
        if (line.startsWith("(mocktime: ", rest) && line.indexOf(')', rest) > 0) {
            rest = skipSpaces(line, line.indexOf(')', rest) + 1);
        }
        LogDebugCategory category = LogDebugCategory.UNKNOWN;
        int messageStart = rest;
        int at = rest;
        for (int i = 0; i < MAX_PREFIX_TOKENS && at < line.length() && line.charAt(at) == '['; i++) {
            int close = line.indexOf(']', at);
            if (close < 0 || (close + 1 < line.length() && !isSpace(line.charAt(close + 1)))) {
                break;
            }
            LogDebugCategory c = categoryToken(line.substring(at + 1, close));
            at = skipSpaces(line, close + 1);
            if (c != null) {
                category = c;
                messageStart = at;
            }
        }
        return new LogLine(true, micros, category, line.substring(messageStart));
    }

    /** The category a bracket's content names, or null if it is no category or level token. */
    private static LogDebugCategory categoryToken(String token) {
        String lower = token.toLowerCase(Locale.ROOT);
        int colon = lower.indexOf(':');
        if (colon < 0) {
            return LEVELS.contains(lower) ? LogDebugCategory.UNKNOWN : CATEGORIES.get(lower);
        }
        String name = lower.substring(0, colon);
        if (!LEVELS.contains(lower.substring(colon + 1)) || name.isEmpty()
                || !name.chars().allMatch(ch -> (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) {
            return null;
        }
        return CATEGORIES.getOrDefault(name, LogDebugCategory.UNKNOWN);
    }

    /** Index after a timestamp-shaped prefix, or -1. */
    private static int timestampEnd(String s) {
        // YYYY-MM-DDTHH:MM:SS then .ffffff (optional) then Z
        String shape = "dddd-dd-ddTdd:dd:dd";
        if (s.length() < shape.length() + 1) {
            return -1;
        }
        for (int i = 0; i < shape.length(); i++) {
            char want = shape.charAt(i);
            char got = s.charAt(i);
            if (want == 'd' ? !isDigit(got) : got != want) {
                return -1;
            }
        }
        int i = shape.length();
        if (s.charAt(i) == '.') {
            for (int j = 1; j <= 6; j++) {
                if (i + j >= s.length() || !isDigit(s.charAt(i + j))) {
                    return -1;
                }
            }
            i += 7;
        }
        return i < s.length() && s.charAt(i) == 'Z' ? i + 1 : -1;
    }

    /** Microseconds since the epoch of a timestamp-shaped prefix; 0 when it is no real date, as upstream. */
    private static long micros(String s, int end) {
        try {
            LocalDateTime t = LocalDateTime.of(number(s, 0, 4), number(s, 5, 7), number(s, 8, 10),
                    number(s, 11, 13), number(s, 14, 16), number(s, 17, 19));
            long fraction = s.charAt(19) == '.' ? number(s, 20, 26) : 0;
            long micros = t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + fraction;
            return Math.max(micros, 0); // the field is unsigned; before 1970 is no real log time either
        } catch (DateTimeException e) {
            return 0;
        }
    }

    private static int number(String s, int from, int to) {
        return Integer.parseInt(s, from, to, 10);
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
