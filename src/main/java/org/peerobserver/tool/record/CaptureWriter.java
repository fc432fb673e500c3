package org.peerobserver.tool.record;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import com.google.protobuf.CodedOutputStream;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes events as captures that {@code replay:} reads: each event length-delimited, optionally
 * gzip-compressed. A new file starts once {@code maxFileSize} bytes of events went into the current one
 * (counted before compression, so a file on disk is never larger);
 * beyond {@code maxFiles} files the oldest is deleted, so a recording never fills a disk by itself.
 * A failed write (a full disk) is logged once and counted, with every event since the last flush; a
 * second later the next event tries a fresh file, and writing resumes when there is room again.
 */
public class CaptureWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureWriter.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final String PREFIX = "events-";
    private static final long FLUSH_INTERVAL_NANOS = 1_000_000_000L;
    private static final long RETRY_INTERVAL_NANOS = 1_000_000_000L;

    private Path directory = Path.of("captures");
    private long maxFileSize = 100L * 1024 * 1024;
    private int maxFiles = 10;
    private boolean gzip = true;

    private final LongAdder written = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private OutputStream out;
    private long bytesInFile;
    private Path current;
    private int sequence;
    private long lastFlush;
    private boolean failing;
    private long retryAt;
    /** Events handed to the stream since its last flush, and events flushed into the current file. */
    private long unflushed;
    private long flushedInFile;

    /** Events as {@code bus:subscribe?batchSize=...} hands them over. */
    public synchronized void write(List<ReceivedEvent> events) {
        for (ReceivedEvent e : events) {
            write(e.event());
        }
    }

    public synchronized void write(Event event) {
        if (failing && System.nanoTime() < retryAt) {
            failed.increment();
            return;
        }
        unflushed++;   // this event, until it is on disk
        try {
            if (out == null || bytesInFile >= maxFileSize) {
                if (out != null) {
                    out.flush();
                    settle(unflushed - 1);   // the previous file's events are on disk
                }
                rotate();
            }
            event.writeDelimitedTo(out);
            int size = event.getSerializedSize();
            bytesInFile += CodedOutputStream.computeUInt32SizeNoTag(size) + size;
            // while failing, every try is flushed at once: "works again" must mean on disk
            if (failing || System.nanoTime() - lastFlush > FLUSH_INTERVAL_NANOS) {
                out.flush();
                lastFlush = System.nanoTime();
                settle(unflushed);
            }
            if (failing) {
                LOG.info("Recording works again, into {}", current);
                failing = false;
            }
        } catch (IOException e) {
            // the events since the last flush are lost with this one
            failed.add(unflushed);
            unflushed = 0;
            if (!failing) {
                LOG.error("Cannot write the recording {}: {}; events are dropped (and counted) until writing works again",
                        current, e.getMessage());
                failing = true;
            }
            // tries are spaced out: each opens a new file, and files beyond maxFiles push out the oldest recording
            retryAt = System.nanoTime() + RETRY_INTERVAL_NANOS;
            abandonCurrent();
        }
    }

    private void settle(long onDisk) {
        written.add(onDisk);
        flushedInFile += onDisk;
        unflushed -= onDisk;
    }

    /** After a failed write: the file is damaged at its end; one that holds no whole event is removed. */
    private void abandonCurrent() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException sameFailure) {
                // what could not be written is lost either way
            }
            out = null;
        }
        if (current != null && flushedInFile == 0) {
            try {
                Files.deleteIfExists(current);
            } catch (IOException e) {
                LOG.debug("Cannot remove the empty recording {}: {}", current, e.getMessage());
            }
        }
    }

    /** Events written, including those still in the buffer (flushed within a second). */
    public synchronized long getWritten() {
        return written.sum() + unflushed;
    }

    private void rotate() throws IOException {
        closeQuietly();
        Files.createDirectories(directory);
        current = directory.resolve(PREFIX + LocalDateTime.now().format(STAMP) + "-" + String.format("%05d", ++sequence)
                + ".capture" + (gzip ? ".gz" : ""));
        OutputStream file = Files.newOutputStream(current);
        out = gzip ? new GZIPOutputStream(file, 1 << 16, true) : new BufferedOutputStream(file, 1 << 16);
        bytesInFile = 0;
        flushedInFile = 0;
        LOG.info("Recording events into {}", current);
        deleteOldest();
    }

    private void deleteOldest() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(directory)) {
            files = s.filter(p -> p.getFileName().toString().startsWith(PREFIX)).sorted().toList();
        }
        for (int i = 0; i < files.size() - maxFiles; i++) {
            Files.deleteIfExists(files.get(i));
            LOG.info("Deleted the oldest recording {} (keeping {} files)", files.get(i), maxFiles);
        }
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.warn("Closing the recording {} failed: {}", current, e.getMessage());
            }
            out = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }

    public long getFailed() {
        return failed.sum();
    }

    public void setDirectory(String directory) {
        this.directory = Path.of(directory);
    }

    public void setMaxFileSize(long maxFileSize) {
        if (maxFileSize <= 0) {
            throw new IllegalArgumentException("RECORD_MAX_FILE_SIZE must be positive, not " + maxFileSize);
        }
        this.maxFileSize = maxFileSize;
    }

    public void setMaxFiles(int maxFiles) {
        if (maxFiles < 1) {
            throw new IllegalArgumentException("RECORD_MAX_FILES must be at least 1, not " + maxFiles);
        }
        this.maxFiles = maxFiles;
    }

    public void setGzip(boolean gzip) {
        this.gzip = gzip;
    }
}
