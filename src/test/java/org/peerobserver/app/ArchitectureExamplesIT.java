package org.peerobserver.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.event.EventKind;
import org.peerobserver.testing.AppProcess;
import org.peerobserver.testing.Commands;
import org.peerobserver.testing.SampleCapture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/architecture.md's "How to add an extractor" and "How to add a tool", done as the page says: the example
 * route files copied beside the bundled ones, run with ROUTES_DIR, their classes on the class path.
 */
class ArchitectureExamplesIT {
    private static final Path EXAMPLES = Path.of("src/test/resources/examples/routes");
    private static final Pattern UPTIME = Pattern.compile("tool-logger - rpc\\.uptime node=example at=(\\S+) uptime=(\\d+)$");

    @TempDir
    Path dir;

    @Test
    void theExampleExtractorAndToolRunBesideTheBundledRoutes() throws Exception {
        Commands.copyBundledRoutes(dir);
        for (String file : List.of("extractors/uptime.camel.yaml", "tools/kinds-seen.camel.yaml")) {
            Files.copy(EXAMPLES.resolve(file), dir.resolve(file));
        }
        Process watched = new ProcessBuilder("sleep", "600").start();
        try (AppProcess app = AppProcess.withTestClasses(Map.of("ROUTES_DIR", dir.toString(), "REPLAY_SPEED", "0",
                "NODE_NAME", "example", "UPTIME_PID", Long.toString(watched.pid())))) {
            // the extractor: the watched process's age, as the logger prints any rpc.uptime event
            String line = app.awaitLine(l -> UPTIME.matcher(l).find() && !l.contains("at=2025-11-22"), Duration.ofSeconds(30));
            Matcher uptime = UPTIME.matcher(line);
            assertTrue(uptime.find(), line);
            Instant at = Instant.parse(uptime.group(1));
            long age = Duration.between(watched.info().startInstant().orElseThrow(), at).toSeconds();
            // the app rounds its own clock down to the millisecond before it logs it: a second boundary may fall between
            assertTrue(Math.abs(age - Long.parseLong(uptime.group(2))) <= 1, age + " s: " + line);

            // the tool: each kind of the sample once, and the extractor's kind only once, though it fires again
            app.awaitLine(l -> l.contains("Replay of ") && l.contains(" finished"), Duration.ofSeconds(30));
            Set<String> kinds = SampleCapture.events().stream().map(e -> EventKind.of(e).kind()).collect(Collectors.toSet());
            app.awaitLine(l -> l.contains("tool-kinds-seen - ") && app.count(m -> m.contains("tool-kinds-seen - ")) >= kinds.size(),
                    Duration.ofSeconds(10));
            Thread.sleep(500);
            Set<String> logged = app.lines().stream().filter(l -> l.contains("tool-kinds-seen - first "))
                    .map(l -> l.replaceAll(".*tool-kinds-seen - first (\\S+) from node=example$", "$1")).collect(Collectors.toSet());
            assertEquals(kinds, logged);
            assertEquals(kinds.size(), app.count(l -> l.contains("tool-kinds-seen - ")));
        } finally {
            watched.destroy();
        }
    }

    @Test
    void theExampleExtractorRefusesAMissingProcessAtStart() throws IOException, InterruptedException {
        Commands.copyBundledRoutes(dir);
        Files.copy(EXAMPLES.resolve("extractors/uptime.camel.yaml"), dir.resolve("extractors/uptime.camel.yaml"));
        try (AppProcess app = AppProcess.withTestClasses(Map.of("ROUTES_DIR", dir.toString(), "UPTIME_PID", "0"))) {
            assertEquals(2, app.waitFor(Duration.ofSeconds(30)));
            assertTrue(app.lines().stream().anyMatch(l -> l.startsWith("peer-observer: cannot start: '0' is not a valid pid (setting ") && l.contains("UPTIME_PID")),
                    String.join("\n", app.lines()));
        }
    }
}
