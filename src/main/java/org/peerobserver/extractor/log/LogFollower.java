package org.peerobserver.extractor.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a log file the way {@code tail -F} does, one {@link #poll()} at a time, handing every complete
 * line (without its line end) to a consumer.
 *
 * <ul>
 *   <li>The file present at the first open is read from its end (or its start, if asked); files that
 *       appear later (after a rotation, or a path that did not exist yet) are read from their start.</li>
 *   <li>Rotation (the path now names another file): the old file is read to its end, then the new one is
 *       opened. While the path names no file, the old one is still read, since the writer may not have
 *       reopened yet.</li>
 *   <li>Truncation (the file is shorter than what was read): reading starts again at 0.</li>
 *   <li>A FIFO is opened for reading and writing, so opening never waits for a writer and the end of a
 *       writer (a node restart) is no end of input; a read then blocks until data comes. Interrupting
 *       the reading thread ends that read.</li>
 *   <li>Memory is bounded: a line longer than {@code maxLineLength} bytes is skipped and counted.</li>
 * </ul>
 * Not thread-safe: one thread polls; the counters may be read from any thread.
 */
final class LogFollower implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(LogFollower.class);
    private static final int READ_SIZE = 64 * 1024;

    private final Path path;
    private final Consumer<String> lines;
    private final ByteBuffer buffer = ByteBuffer.allocate(READ_SIZE);
    private final byte[] line;

    private boolean firstOpen;
    private final boolean fromStart;
    private FileChannel channel;
    private Object fileKey;
    private boolean fifo;
    private long position;
    private int lineLength;
    /** In a line that is too long, or in the middle of a line where reading from the end started. */
    private boolean skipping;
    private boolean waitingLogged;

    private volatile long bytesRead;
    private volatile long linesRead;
    private volatile long linesTooLong;
    private volatile long partialLinesDropped;
    private volatile long rotations;
    private volatile long truncations;

    LogFollower(Path path, boolean fromStart, int maxLineLength, Consumer<String> lines) {
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("maxLineLength must be at least 1, not " + maxLineLength);
        }
        this.path = path;
        this.fromStart = fromStart;
        this.line = new byte[maxLineLength];
        this.lines = lines;
        // decided now, not at the first poll: a file that appears after the start is new, read from its start
        this.firstOpen = Files.exists(path);
    }

    /**
     * Reads what is new and hands over its complete lines. Returns the number of bytes read: 0 when there
     * was nothing new (or no file yet), so the caller can wait before polling again.
     */
    long poll() throws IOException {
        if (channel == null && !open()) {
            return 0;
        }
        long n = read();
        if (n > 0 || fifo) {
            return n;
        }
        BasicFileAttributes now = attributes();
        if (now != null && !Objects.equals(now.fileKey(), fileKey)) {
            // written to the old file between the last read and the rename
            n = read();
            endOfFile();
            LOG.info("{} was rotated; following the new file from its start", path);
            rotations++;
            close();
            fileKey = null;
            return open() ? n + read() : n;
        }
        if (channel.size() < position) {
            LOG.info("{} was truncated to {} bytes; reading it again from the start", path, channel.size());
            truncations++;
            if (lineLength > 0 || skipping) {
                partialLinesDropped++;
            }
            lineLength = 0;
            skipping = false;
            position = 0;
            channel.position(0);
        }
        return 0;
    }

    private boolean open() throws IOException {
        BasicFileAttributes attrs = attributes();
        if (attrs == null) {
            // whatever it will hold is new: read it from its start
            firstOpen = false;
            if (!waitingLogged) {
                LOG.info("Waiting for {} to appear", path);
                waitingLogged = true;
            }
            return false;
        }
        if (attrs.isDirectory()) {
            throw new IOException(path + " is a directory, not a log file");
        }
        fifo = attrs.isOther();
        channel = fifo ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
        boolean sameFile = fileKey != null && fileKey.equals(attrs.fileKey());
        fileKey = attrs.fileKey();
        if (fifo) {
            LOG.info("Following {} (a FIFO)", path);
        } else if (sameFile) {
            // reopened after a read error: carry on where reading stopped
            channel.position(position);
            LOG.info("Following {} again from byte {}", path, position);
        } else if (firstOpen && !fromStart) {
            position = channel.size();
            skipping = position > 0 && !endsWithNewline(position);
            channel.position(position);
            LOG.info("Following {} from its end (byte {})", path, position);
        } else {
            position = 0;
            LOG.info("Following {} from its start", path);
        }
        firstOpen = false;
        waitingLogged = false;
        return true;
    }

    private boolean endsWithNewline(long size) throws IOException {
        ByteBuffer last = ByteBuffer.allocate(1);
        return channel.read(last, size - 1) == 1 && last.get(0) == '\n';
    }

    private BasicFileAttributes attributes() throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Reads until the end of what is there now; returns the number of bytes read. */
    private long read() throws IOException {
        long total = 0;
        int n;
        while ((n = channel.read(buffer.clear())) > 0) {
            total += n;
            position += n;
            bytesRead += n;
            split(buffer.array(), n);
            if (fifo) {
                break;
            }
        }
        return total;
    }

    private void split(byte[] bytes, int count) {
        int start = 0;
        for (int i = 0; i < count; i++) {
            if (bytes[i] == '\n') {
                append(bytes, start, i - start);
                emit();
                start = i + 1;
            }
        }
        append(bytes, start, count - start);
    }

    private void append(byte[] bytes, int from, int length) {
        if (skipping || length == 0) {
            return;
        }
        if (lineLength + length > line.length) {
            linesTooLong++;
            if (linesTooLong == 1) {
                LOG.warn("Skipping a line of {} longer than {} bytes; further ones are only counted (linesTooLong)",
                        path, line.length);
            }
            skipping = true;
            lineLength = 0;
            return;
        }
        System.arraycopy(bytes, from, line, lineLength, length);
        lineLength += length;
    }

    private void emit() {
        if (skipping) {
            skipping = false;
            return;
        }
        int length = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
        lineLength = 0;
        linesRead++;
        lines.accept(new String(line, 0, length, StandardCharsets.UTF_8));
    }

    /** The last line of a file that is left behind counts even without its line end. */
    private void endOfFile() {
        if (lineLength > 0 && !skipping) {
            emit();
        }
        lineLength = 0;
        skipping = false;
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing was written through it; the descriptor is released either way
            } finally {
                channel = null;
            }
        }
    }

    Path path() {
        return path;
    }

    /** Whether a file is open for reading (false while the path names no file yet). */
    boolean following() {
        return channel != null;
    }

    long bytesRead() {
        return bytesRead;
    }

    long linesRead() {
        return linesRead;
    }

    long linesTooLong() {
        return linesTooLong;
    }

    long partialLinesDropped() {
        return partialLinesDropped;
    }

    long rotations() {
        return rotations;
    }

    long truncations() {
        return truncations;
    }
}
