package org.peerobserver.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.AppProcess;
import org.peerobserver.testing.NatsProcessTestSupport;
import org.peerobserver.testing.SampleCapture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The subcommands as upstream users type them, each in its own process, on a real nats-server. */
class SubcommandsIT extends NatsProcessTestSupport {
    @TempDir
    Path dir;

    @Test
    void replayLoggerAndRecordTalkThroughNats() throws Exception {
        List<Event> sample = SampleCapture.events();
        long messages = sample.stream().filter(e -> e.hasEbpfExtractor() && e.getEbpfExtractor().hasMessage()).count();
        Path captures = dir.resolve("captures");
        try (AppProcess logger = start(Map.of(), "logger", "--nats-address", "127.0.0.1:" + nats.port(), "--messages");
             AppProcess record = onNats("record", "--record-dir", captures.toString(), "--no-gzip")) {
            logger.awaitStarted(START);
            record.awaitStarted(START);
            try (AppProcess replay = onNats("replay", "--speed", "0", "--node-name", "alice")) {
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
        AppProcess flag = start(Map.of("NODE_NAME", "env"), "all", "--speed", "0", "--node-name", "flag");
        AppProcess env = start(Map.of("NODE_NAME", "env"), "all", "--speed", "0");
        AppProcess file = start(Map.of(), "all", "--speed", "0");
        assertEquals("flag", nodeOfFirstEvent(flag));
        assertEquals("env", nodeOfFirstEvent(env));
        String fileDefault = nodeOfFirstEvent(file);
        assertTrue(!fileDefault.equals("env") && !fileDefault.equals("flag"), fileDefault);
    }

    private static String nodeOfFirstEvent(AppProcess app) throws Exception {
        try (app) {
            return app.awaitLine(l -> l.contains("tool-logger - "), START).replaceAll(".* node=(\\S+) .*", "$1");
        }
    }

    @Test
    void logExtractorFollowsAFileGivenAsUpstreamsPipeFlag() throws Exception {
        Path debugLog = dir.resolve("debug.log");
        Files.writeString(debugLog, "2025-11-20T10:00:00Z [validation] BlockConnected: block hash="
                + "0000000000000000000123456789abcdef0123456789abcdef0123456789abcd block height=870001\n");
        try (AppProcess logger = onNats("logger", "--log-extractor")) {
            logger.awaitStarted(START);
            try (AppProcess extractor = onNats("log-extractor", "-b", debugLog.toString(), "--from-start")) {
                String line = logger.awaitLine(l -> l.contains("tool-logger - log.block_connected_log"), START);
                assertTrue(line.contains("block_height=870001"), line);
            }
        }
    }

    @Test
    void badInputEndsWithStatus2AndOneSentence() throws Exception {
        Path unreadable = Files.createDirectory(dir.resolve("bitcoind.pid"));  // a directory: no pid can be read from it
        Map<AppProcess, String> expected = new LinkedHashMap<>();
        expected.put(start(Map.of(), "metrix"), "peer-observer: unknown subcommand 'metrix'; choose from " + String.join(", ",
                CommandLine.subcommands()));
        expected.put(start(Map.of(), "metrics", "--metrics-address", "localhost"),
                "peer-observer: --metrics-address 'localhost' is not host:port, e.g. 127.0.0.1:8282");
        expected.put(start(Map.of(), "rpc-extractor", "--rpc-cookie-file", "/nonexistent/.cookie"),
                "peer-observer: --rpc-cookie-file '/nonexistent/.cookie' cannot be read (missing, not a file, or no permission)");
        expected.put(start(Map.of(), "ebpf-extractor", "-b", "/usr/local/bin/bitcoind", "--bitcoind-pid-file", unreadable.toString()),
                "peer-observer: --bitcoind-pid-file '" + unreadable + "' cannot be read (missing, not a file, or no permission)");
        for (Map.Entry<AppProcess, String> e : expected.entrySet()) {
            assertEquals(2, e.getKey().waitFor(Duration.ofSeconds(30)), e.getValue());
            assertEquals(List.of(e.getValue()), e.getKey().lines());
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
