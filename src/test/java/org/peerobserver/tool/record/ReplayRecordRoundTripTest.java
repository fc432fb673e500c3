package org.peerobserver.tool.record;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.SampleCapture;
import org.peerobserver.testing.SampleEvents;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** replay: → in-JVM bus → record tool, through the YAML routes: the recording equals the capture. */
class ReplayRecordRoundTripTest extends AppTestSupport {
    @TempDir
    static Path dir;
    static List<Event> events;

    @Override
    protected Properties settings() {
        events = new SampleEvents(7, 1_700_000_000_000L).session(600);
        return props("extractors", "replay", "tools", "record", "replay.file", SampleCapture.tempFile(events),
                "camel.component.replay.configuration.speed", "0", "record.directory", dir.resolve("out").toString(), "record.max-file-size", "20000",
                "record.max-files", "1000");
    }

    @Test
    void recordingEqualsTheReplayedCapture() throws Exception {
        CaptureWriter writer = context.getRegistry().lookupByNameAndType("recordWriter", CaptureWriter.class);
        await().atMost(30, TimeUnit.SECONDS).until(() -> writer.getWritten() == events.size());
        context.stop();  // closes the current file
        List<Event> recorded = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir.resolve("out"))) {
            files = s.sorted().toList();
        }
        for (Path f : files) {
            try (var in = new GZIPInputStream(Files.newInputStream(f))) {
                for (Event e; (e = Event.parseDelimitedFrom(in)) != null; ) {
                    recorded.add(e);
                }
            }
        }
        assertEquals(events.size(), recorded.size());
        assertEquals(events, recorded);
        assertEquals(0, writer.getFailed());
        assertEquals(true, files.size() > 1, "rotation by size");
    }
}
