package org.peerobserver.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.event.EventKind;
import org.peerobserver.testing.AppProcess;
import org.peerobserver.testing.Commands;
import org.peerobserver.testing.SampleCapture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/events.md's examples, run as a user runs them: the packaged jar with ROUTES_DIR. */
class EventsDocIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The YAML block of docs/events.md that follows {@code heading}. */
    static String example(String heading) throws Exception {
        String doc = Files.readString(Path.of("docs/events.md"));
        int at = doc.indexOf(heading);
        assertTrue(at >= 0, "docs/events.md lost its section " + heading);
        int start = doc.indexOf("```yaml\n", at) + "```yaml\n".length();
        return doc.substring(start, doc.indexOf("```", start));
    }

    @Test
    void aSinkAddedByYamlWritesEveryEventAsAJsonLine() throws Exception {
        Path routes = dir.resolve("routes");
        Commands.copyBundledRoutes(routes);
        Files.writeString(routes.resolve("tools/jsonl-file.camel.yaml"), example("## Adding a sink by YAML alone"));
        Path file = dir.resolve("out/events.jsonl");
        List<String> kinds = SampleCapture.events().stream().map(e -> EventKind.of(e).kind()).toList();
        try (AppProcess app = new AppProcess(Map.of("ROUTES_DIR", routes.toString(), "EVENTS_DIR", file.getParent().toString(),
                "REPLAY_SPEED", "0"))) {
            app.awaitLine(l -> l.contains("Replay of ") && l.contains(" finished"), Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file) && Files.readAllLines(file).size() >= kinds.size());
            Thread.sleep(500);
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(kinds.size(), lines.size(), "every event of the sample, once");
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = JSON.readTree(lines.get(i));
            assertEquals(kinds.get(i), line.get("kind").asText(), "in order, line " + i);
            assertTrue(line.get("node").isTextual() && line.get("event").isObject(), lines.get(i));
        }
    }

    @Test
    void eachRoutesEventsAreReadableThroughJolokia() throws Exception {
        try (AppProcess app = new AppProcess(Map.of("REPLAY_LOOP", "true", "REPLAY_SPEED", "20"))) {
            app.awaitLine(l -> l.contains("tool-logger - "), Duration.ofSeconds(20));
            for (String route : List.of("extractor-replay", "tool-logger")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> events(app, route, "EventsIn") > 0);
                assertTrue(events(app, route, "EventsOut") > 0, route);
                assertEquals(0, events(app, route, "EventsDropped"), route);
            }
        }
    }

    private static long events(AppProcess app, String route, String attribute) throws Exception {
        String body = app.get("/observe/jolokia/read/org.apache.camel:context=peer-observer,type=events,name=%22" + route
                + "%22/" + attribute).body();
        JsonNode value = JSON.readTree(body).path("value");
        assertTrue(value.isNumber(), body);
        return value.asLong();
    }
}
