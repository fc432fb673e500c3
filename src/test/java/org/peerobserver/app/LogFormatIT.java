package org.peerobserver.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.peerobserver.testing.AppProcess;

/** What a start writes: dated lines, no dump of the configuration, and JSON lines on request. */
class LogFormatIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aStartIsShortAndEveryLineIsDated() throws Exception {
        try (AppProcess app = new AppProcess(Map.of("EXTRACTOR_TYPE", "replay", "TOOLS", "none"))) {
            app.awaitStarted(WAIT);
            app.awaitLine(l -> l.contains("Replaying"), WAIT);
            List<String> lines = List.copyOf(app.lines());
            assertTrue(lines.stream().noneMatch(l -> l.contains("{{env:") || l.contains("[application.properties]")),
                    () -> String.join("\n", lines));
            // a start says what runs: its routes and where the management server listens, in a few dozen lines
            assertTrue(lines.size() < 40, () -> lines.size() + " lines:\n" + String.join("\n", lines));
            for (String line : lines) {
                OffsetDateTime.parse(line.substring(0, line.indexOf(' ')));
            }
        }
    }

    @Test
    void jsonLinesForLogStores() throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (AppProcess app = new AppProcess(Map.of("EXTRACTOR_TYPE", "replay", "TOOLS", "logger", "REPLAY_SPEED", "0",
                "LOG_FORMAT", "json"))) {
            app.awaitLine(l -> l.contains("\"logger\":\"tool-logger\""), WAIT);
            List<String> lines = List.copyOf(app.lines());
            for (String line : lines) {
                JsonNode entry = json.readTree(line);
                OffsetDateTime.parse(entry.get("time").asText());
                assertFalse(entry.get("level").asText().isEmpty(), line);
                assertFalse(entry.get("logger").asText().isEmpty(), line);
                assertTrue(entry.has("message"), line);
            }
            assertEquals(1, lines.stream().filter(l -> l.contains("Management server on http://127.0.0.1:")).count());
        }
    }

    @Test
    void anUnknownFormatIsRefused() throws Exception {
        try (AppProcess app = new AppProcess(Map.of("EXTRACTOR_TYPE", "replay", "TOOLS", "none", "LOG_FORMAT", "xml"))) {
            assertEquals(2, app.waitFor(WAIT));
            assertEquals(List.of("peer-observer: cannot start: LOG_FORMAT is 'xml', but it takes one of text, json"), app.lines());
        }
    }
}
