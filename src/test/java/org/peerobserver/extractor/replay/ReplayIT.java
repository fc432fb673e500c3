package org.peerobserver.extractor.replay;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.AppProcess;
import org.peerobserver.testing.SampleCapture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replay as the packaged jar runs it: a missing capture, the replay subcommand's end, a damaged capture. */
class ReplayIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<Event> EVENTS = SampleCapture.events();

    @TempDir
    Path dir;

    @Test
    void aMissingCaptureEndsTheStartWithOneSentence() throws Exception {
        Path missing = dir.resolve("missing.capture");
        try (AppProcess app = new AppProcess(Map.of("BUS", "embedded"), "replay", "--replay-file", missing.toString())) {
            assertEquals(2, app.waitFor(WAIT), () -> String.join("\n", app.lines()));
            List<String> sentences = app.lines().stream().filter(l -> l.startsWith("peer-observer: cannot start: ")).toList();
            assertEquals(List.of("peer-observer: cannot start: the capture " + missing + " cannot be read (missing, not a file,"
                    + " or no permission; setting REPLAY_FILE or --replay-file)"), sentences, () -> String.join("\n", app.lines()));
        }
    }

    @Test
    void theReplaySubcommandEndsWithItsCaptureUnlessItLoops() throws Exception {
        String capture = SampleCapture.tempFile(EVENTS.subList(0, 20));
        try (AppProcess app = new AppProcess(Map.of("BUS", "embedded"), "replay", "--replay-file", capture, "--speed", "0")) {
            assertEquals(0, app.waitFor(WAIT), () -> String.join("\n", app.lines()));
            assertEquals(1, app.count(l -> l.contains("Replay of " + capture + " finished: 20 events")));
        }
        try (AppProcess app = new AppProcess(Map.of("BUS", "embedded"), "replay", "--replay-file", capture, "--speed", "0", "--loop")) {
            app.awaitLine(l -> l.contains("finished: 20 events") && l.contains("starting again"), WAIT);
            app.awaitLine(l -> l.contains("Replaying " + capture), WAIT);
            Thread.sleep(500);
            assertTrue(app.isAlive());
        }
    }

    /** A script that replays a capture learns from the exit status that it was damaged. */
    @Test
    void theReplaySubcommandEndsWithStatusOneOnADamagedCapture() throws Exception {
        Path capture = damagedAt182();
        try (AppProcess app = new AppProcess(Map.of("BUS", "embedded"), "replay", "--replay-file", capture.toString(), "--speed", "0")) {
            assertEquals(1, app.waitFor(WAIT), () -> String.join("\n", app.lines()));
            assertEquals(1, app.count(l -> l.contains("ERROR") && l.contains("record 182 is cut off")));
        }
    }

    private Path damagedAt182() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SampleCapture.write(EVENTS.subList(0, 181), bytes);
        bytes.write(new byte[] { 50, 1, 2, 3 });  // record 182 promises 50 bytes and the capture ends after 3
        Path capture = dir.resolve("damaged.capture");
        Files.write(capture, bytes.toByteArray());
        return capture;
    }

    /** The attack: a capture damaged at record 182 published nothing, the batch before the damage was dropped. */
    @Test
    void everyEventBeforeTheDamageIsPublished() throws Exception {
        Path capture = damagedAt182();
        long size = Files.size(capture);
        try (AppProcess app = new AppProcess(Map.of("EXTRACTOR_TYPE", "replay", "TOOLS", "logger", "REPLAY_SPEED", "0",
                "REPLAY_FILE", capture.toString()))) {
            String error = app.awaitLine(l -> l.contains("ERROR") && l.contains("Replay of " + capture + " stopped"), WAIT);
            assertTrue(error.endsWith("stopped at byte " + (size - 4) + ": record 182 is cut off: 3 of 50 bytes; the 181"
                    + " events before it were published, the 4 bytes from there to the end are lost"), error);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (app.count(l -> l.contains(" tool-logger - ")) < 181 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(500);
            assertEquals(181, app.count(l -> l.contains(" tool-logger - ")));
            assertTrue(app.isAlive(), "without the replay subcommand the tools keep running");
        }
    }
}
