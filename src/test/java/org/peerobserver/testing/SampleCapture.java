package org.peerobserver.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.peerobserver.proto.event.Event;

/**
 * Writes the bundled sample capture (docs/events.md says how to run it). {@code CaptureFilesTest}
 * checks that the committed file holds exactly these events.
 */
public final class SampleCapture {
    public static final Path FILE = Path.of("src/main/resources/samples/sample.capture.gz");
    public static final long SEED = 20261122L;
    public static final long START_MILLIS = 1_763_769_600_000L;
    public static final int SECONDS = 60;

    private SampleCapture() {
    }

    public static List<Event> events() {
        return new SampleEvents(SEED, START_MILLIS).session(SECONDS);
    }

    public static void write(List<Event> events, OutputStream out) throws IOException {
        for (Event e : events) {
            e.writeDelimitedTo(out);
        }
    }

    /** The events as a capture in a temporary file (deleted when the JVM exits), for a replay route. */
    public static String tempFile(List<Event> events) {
        try {
            Path capture = Files.createTempFile("events", ".capture");
            capture.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(capture)) {
                write(events, out);
            }
            return capture.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws IOException {
        Files.createDirectories(FILE.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(FILE))) {
            write(events(), out);
        }
        System.out.println("Wrote " + events().size() + " events to " + FILE);
    }
}
