package org.peerobserver.extractor.log;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.support.SafeTextConverter;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.HostileText;
import org.peerobserver.testing.RenderedLog;

/**
 * debug.log lines that carry a CR, ANSI escapes, a NUL, a line separator or 4 KB, followed by the log
 * extractor and printed by the logger tool, rendered by the application's own log layout. (A newline
 * in debug.log simply starts another line, and so another event.)
 */
class LogStrangersTextTest extends AppTestSupport {
    @TempDir
    static Path dir;

    private static final List<String> LINES = List.of(HostileText.CR, HostileText.ANSI, HostileText.NUL,
            "\u2028" + HostileText.FORGED + "\u202e", HostileText.LONG);

    @Override
    protected Properties settings() {
        return props("extractors", "log", "tools", "logger", "log.file", dir.resolve("debug.log").toString());
    }

    @Test
    void debugLogLinesReachTheLogEscapedAndCut() throws Exception {
        try (RenderedLog log = new RenderedLog()) {
            // a file that appears after the start is read from its start
            StringBuilder text = new StringBuilder();
            LINES.forEach(l -> text.append("2025-11-22T00:00:00Z ").append(l).append('\n'));
            Files.writeString(dir.resolve("debug.log"), text, StandardCharsets.UTF_8);
            await().atMost(10, TimeUnit.SECONDS).until(() -> log.lines().stream()
                    .filter(l -> l.contains("tool-logger - log.unknown_log_message")).count() >= LINES.size());
            HostileText.assertSafe(log, SafeTextConverter.DEFAULT_MAX + 100);
            List<String> shown = log.lines().stream().filter(l -> l.contains("tool-logger - log.unknown_log_message")).toList();
            for (String escaped : List.of("/x/\\r" + HostileText.FORGED, "\\x1b[2J\\x1b[31mred\\x1b[0m", "nul\\x00byte",
                    "\\u2028" + HostileText.FORGED + "\\u202e", "A".repeat(200) + "...(")) {
                assertTrue(shown.stream().anyMatch(l -> l.contains(escaped)), escaped + " not in\n" + String.join("\n", shown));
            }
        }
    }
}
