package org.peerobserver.extractor.replay;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * A length above {@code maxEventSize} is refused before anything is allocated for it. It counts the bytes
 * it reads (after decompression), so a damaged capture can be told by where the damage starts and how much
 * of the capture lies beyond it.
 */
final class CaptureReader implements AutoCloseable {
    private final Counting in;
    private final int maxEventSize;
    private final boolean gzip;
    private long events;
    private long recordStart;

    CaptureReader(String location, int maxEventSize) throws IOException {
        this.maxEventSize = maxEventSize;
        InputStream raw = new BufferedInputStream(open(location), 1 << 16);
        raw.mark(2);
        gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        this.in = new Counting(gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw);
    }

    /** Whether {@code location} names a capture that can be opened: a readable file, or a resource of the jar. */
    static boolean exists(String location) {
        if (location.startsWith("classpath:")) {
            return CaptureReader.class.getClassLoader().getResource(location.substring("classpath:".length())) != null;
        }
        Path file = Path.of(location);
        return Files.isRegularFile(file) && Files.isReadable(file);
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

    /** Where the last record read, or the one that failed, starts: bytes from the start (after decompression). */
    long recordStart() {
        return recordStart;
    }

    /**
     * After a failure: the bytes from the failed record's start to the end of the capture, read to count
     * them; -1 when the rest cannot be read either (a damaged gzip stream).
     */
    long bytesFromRecordStart() {
        try {
            in.transferTo(OutputStream.nullOutputStream());
            return in.count - recordStart;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The next event, or null at the end of the capture. */
    Event next() throws IOException {
        recordStart = in.count;
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

    /** Counts what passes through it. */
    private static final class Counting extends FilterInputStream {
        private long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
