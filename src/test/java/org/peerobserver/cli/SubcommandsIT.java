package org.peerobserver.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.AppProcess;
import org.peerobserver.testing.NatsServer;
import org.peerobserver.testing.SampleCapture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The subcommands as upstream users type them, each in its own process, on a real nats-server. */
class SubcommandsIT {
    @TempDir
    Path dir;

    private static final Duration START = Duration.ofSeconds(30);

    @Test
    void replayLoggerAndRecordTalkThroughNats() throws Exception {
        List<Event> sample = SampleCapture.events();
        long messages = sample.stream().filter(e -> e.hasEbpfExtractor() && e.getEbpfExtractor().hasMessage()).count();
        Path captures = dir.resolve("captures");
        try (NatsServer nats = new NatsServer();
             AppProcess logger = new AppProcess(Map.of(), "logger", "--nats-address", "127.0.0.1:" + nats.port(), "--messages");
             AppProcess record = new AppProcess(Map.of(), "record", "-n", nats.url(), "--record-dir", captures.toString(),
                     "--no-gzip")) {
            logger.awaitLine(l -> l.contains("Started tool-logger"), START);
            record.awaitLine(l -> l.contains("Started tool-record"), START);
            try (AppProcess replay = new AppProcess(Map.of(), "replay", "-n", nats.url(), "--speed", "0", "--node-name", "alice")) {
                await().atMost(30, TimeUnit.SECONDS).until(() -> logger.count(l -> l.contains("tool-logger - ")) >= messages);
                replay.awaitLine(l -> l.contains("Replay of classpath:samples/sample.capture.gz finished: " + sample.size()), START);
            }
            Thread.sleep(500);
            assertEquals(messages, logger.count(l -> l.contains("tool-logger - message.") && l.contains(" node=alice ")));
            assertEquals(messages, logger.count(l -> l.contains("tool-logger - ")), "--messages keeps only P2P messages");
            record.close();  // a clean stop closes the capture file
            assertEquals(sample, read(captures));
        }
    }

    @Test
    void flagWinsOverEnvironmentWhichWinsOverTheFile() throws Exception {
        assertEquals("flag", nodeOfFirstEvent(Map.of("NODE_NAME", "env"), "--node-name", "flag"));
        assertEquals("env", nodeOfFirstEvent(Map.of("NODE_NAME", "env")));
        String fileDefault = nodeOfFirstEvent(Map.of());
        assertTrue(!fileDefault.equals("env") && !fileDefault.equals("flag"), fileDefault);
    }

    private static String nodeOfFirstEvent(Map<String, String> env, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("all", "--speed", "0"));
        args.addAll(List.of(flags));
        try (AppProcess app = new AppProcess(env, args.toArray(String[]::new))) {
            return app.awaitLine(l -> l.contains("tool-logger - "), START).replaceAll(".* node=(\\S+) .*", "$1");
        }
    }

    @Test
    void logExtractorFollowsAFileGivenAsUpstreamsPipeFlag() throws Exception {
        Path debugLog = dir.resolve("debug.log");
        Files.writeString(debugLog, "2025-11-20T10:00:00Z [validation] BlockConnected: block hash="
                + "0000000000000000000123456789abcdef0123456789abcdef0123456789abcd block height=870001\n");
        try (NatsServer nats = new NatsServer();
             AppProcess logger = new AppProcess(Map.of(), "logger", "-n", nats.url(), "--log-extractor")) {
            logger.awaitLine(l -> l.contains("Started tool-logger"), START);
            try (AppProcess extractor = new AppProcess(Map.of(), "log-extractor", "-n", nats.url(), "-b", debugLog.toString(),
                    "--from-start")) {
                String line = logger.awaitLine(l -> l.contains("tool-logger - log.block_connected_log"), START);
                assertTrue(line.contains("block_height=870001"), line);
            }
        }
    }

    @Test
    void badFlagEndsWithStatus2AndOneSentence() throws Exception {
        try (AppProcess app = new AppProcess(Map.of(), "rpc-extractor", "--rpc-cookie-file", "/nonexistent/.cookie")) {
            assertEquals(2, app.waitFor(Duration.ofSeconds(20)));
            assertEquals(List.of("peer-observer: --rpc-cookie-file '/nonexistent/.cookie' cannot be read (missing, or no permission)"),
                    app.lines());
        }
    }

    private static List<Event> read(Path captures) throws IOException {
        List<Event> events = new ArrayList<>();
        try (Stream<Path> files = Files.list(captures)) {
            for (Path f : files.sorted().toList()) {
                try (var in = Files.newInputStream(f)) {
                    for (Event e; (e = Event.parseDelimitedFrom(in)) != null; ) {
                        events.add(e);
                    }
                }
            }
        }
        return events;
    }
}
