package org.peerobserver.extractor.replay;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.SampleCapture;
import org.peerobserver.tool.record.CaptureWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the record tool writes, the replay source reads back unchanged; damaged captures fail clearly. */
class CaptureFilesTest {
    @TempDir
    Path dir;

    static List<Event> readAll(List<Path> files) throws IOException {
        List<Event> events = new ArrayList<>();
        for (Path f : files) {
            try (CaptureReader r = new CaptureReader(f.toString(), 1 << 20)) {
                for (Event e; (e = r.next()) != null; ) {
                    events.add(e);
                }
            }
        }
        return events;
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void rotatedGzipRecordingReadsBackLossless() throws IOException {
        List<Event> events = SampleCapture.events();
        try (CaptureWriter w = new CaptureWriter()) {
            w.setDirectory(dir.toString());
            w.setMaxFileSize(4096);
            w.setMaxFiles(1000);
            events.forEach(w::write);
            assertEquals(events.size(), w.getWritten());
        }
        List<Path> files = files(dir);
        assertTrue(files.size() > 3, "expected rotation, got " + files);
        assertTrue(files.stream().allMatch(f -> f.toString().endsWith(".capture.gz")));
        assertEquals(events, readAll(files));
    }

    @Test
    void oldestFilesAreDeletedBeyondMaxFiles() throws IOException {
        try (CaptureWriter w = new CaptureWriter()) {
            w.setDirectory(dir.toString());
            w.setGzip(false);
            w.setMaxFileSize(2000);
            w.setMaxFiles(2);
            SampleCapture.events().forEach(w::write);
        }
        List<Path> files = files(dir);
        assertEquals(2, files.size());
        List<Event> kept = readAll(files);
        List<Event> all = SampleCapture.events();
        assertEquals(all.subList(all.size() - kept.size(), all.size()), kept, "the newest events are kept");
    }

    @Test
    void sampleCaptureIsWhatTheGeneratorWrites() throws IOException {
        assertEquals(SampleCapture.events(), readAll(List.of(SampleCapture.FILE)));
    }

    @Test
    void damagedCapturesStopWithTheReason() throws IOException {
        Path oversized = dir.resolve("oversized");
        Files.write(oversized, new byte[] { (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f });
        assertEquals("record 1 claims 268435455 bytes, over the limit of 1048576 (not a capture, or corrupt)",
                assertThrows(IOException.class, () -> readAll(List.of(oversized))).getMessage());

        Path truncated = dir.resolve("truncated");
        try (OutputStream out = Files.newOutputStream(truncated)) {
            SampleCapture.write(SampleCapture.events().subList(0, 2), out);
            out.write(new byte[] { 50, 1, 2, 3 });
        }
        assertEquals("record 3 is cut off: 3 of 50 bytes",
                assertThrows(IOException.class, () -> readAll(List.of(truncated))).getMessage());

        Path notEvents = dir.resolve("garbage");
        Files.write(notEvents, new byte[] { 3, 8, 1, 2 });
        assertTrue(assertThrows(IOException.class, () -> readAll(List.of(notEvents))).getMessage()
                .startsWith("record 1 is not an event"));
    }
}
