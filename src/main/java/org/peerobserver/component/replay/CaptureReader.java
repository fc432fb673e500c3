package org.peerobserver.component.replay;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import com.google.protobuf.CodedInputStream;
import org.peerobserver.event.EventCodec;
import org.peerobserver.proto.event.Event;

/**
 * Reads a capture: events, each preceded by its length as a protobuf varint (what
 * {@code writeDelimitedTo} writes), optionally gzip-compressed as a whole (detected by its magic).
 * A length above {@code maxEventSize} is refused before anything is allocated for it.
 */
final class CaptureReader implements AutoCloseable {
    private final InputStream in;
    private final int maxEventSize;
    private final boolean gzip;
    private long events;

    CaptureReader(String location, int maxEventSize) throws IOException {
        this.maxEventSize = maxEventSize;
        InputStream raw = new BufferedInputStream(open(location), 1 << 16);
        raw.mark(2);
        gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        this.in = gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
    }

    /** A file path, or {@code classpath:name} for a capture shipped in the jar. */
    private static InputStream open(String location) throws IOException {
        if (location.startsWith("classpath:")) {
            String name = location.substring("classpath:".length());
            InputStream s = CaptureReader.class.getClassLoader().getResourceAsStream(name);
            if (s == null) {
                throw new NoSuchFileException(location, null, "no such capture in the application's resources");
            }
            return s;
        }
        return Files.newInputStream(Path.of(location));
    }

    boolean isGzip() {
        return gzip;
    }

    long eventsRead() {
        return events;
    }

    /** The next event, or null at the end of the capture. */
    Event next() throws IOException {
        int first = in.read();
        if (first == -1) {
            return null;
        }
        int length = CodedInputStream.readRawVarint32(first, in);
        if (length < 0 || length > maxEventSize) {
            throw new IOException("record " + (events + 1) + " claims " + length
                    + " bytes, over the limit of " + maxEventSize + " (not a capture, or corrupt)");
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("record " + (events + 1) + " is cut off: " + bytes.length + " of " + length + " bytes");
        }
        Event event;
        try {
            event = EventCodec.decode(bytes);
        } catch (IOException e) {
            throw new IOException("record " + (events + 1) + " is not an event: " + e.getMessage(), e);
        }
        events++;
        return event;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
