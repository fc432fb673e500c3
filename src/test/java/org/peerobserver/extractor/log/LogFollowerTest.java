package org.peerobserver.extractor.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class LogFollowerTest {
    private static final int MAX = 64 * 1024;

    @TempDir
    Path dir;
    private final List<String> lines = new ArrayList<>();

    private LogFollower follower(Path file, boolean fromStart) {
        return new LogFollower(file, fromStart, MAX, lines::add);
    }

    @Test
    void fromTheEndOnlyNewLines() throws IOException {
        Path log = dir.resolve("debug.log");
        append(log, "old 1\nold 2\n");
        try (LogFollower f = follower(log, false)) {
            assertEquals(0, f.poll());
            append(log, "new 1\nnew 2\n");
            f.poll();
            assertEquals(List.of("new 1", "new 2"), lines);
            assertEquals(2, f.linesRead());
        }
    }

    @Test
    void fromTheStartEverything() throws IOException {
        Path log = dir.resolve("debug.log");
        append(log, "old 1\r\nold 2\n");
        try (LogFollower f = follower(log, true)) {
            f.poll();
            assertEquals(List.of("old 1", "old 2"), lines);
        }
    }

    @Test
    void aLineIsHandedOverOnlyOnceComplete() throws IOException {
        Path log = dir.resolve("debug.log");
        try (LogFollower f = follower(log, true)) {
            append(log, "");
            append(log, "first half, ");
            f.poll();
            assertEquals(List.of(), lines);
            append(log, "second half\n");
            f.poll();
            assertEquals(List.of("first half, second half"), lines);
        }
    }

    @Test
    void startingFromTheEndInsideALineSkipsItsRest() throws IOException {
        Path log = dir.resolve("debug.log");
        append(log, "whole\nhalf a li");
        try (LogFollower f = follower(log, false)) {
            f.poll();
            append(log, "ne\nnext\n");
            f.poll();
            assertEquals(List.of("next"), lines);
        }
    }

    @Test
    void aFileThatDoesNotExistYetIsReadFromItsStartOnceItAppears() throws IOException {
        Path log = dir.resolve("debug.log");
        try (LogFollower f = follower(log, false)) {
            assertEquals(0, f.poll());
            append(log, "first\n");
            f.poll();
            assertEquals(List.of("first"), lines);
        }
    }

    @Test
    void rotationReadsTheOldFileToItsEndThenTheNewOneFromItsStart() throws IOException {
        Path log = dir.resolve("debug.log");
        append(log, "before\n");
        try (LogFollower f = follower(log, true)) {
            f.poll();
            Path old = dir.resolve("debug.log.1");
            Files.move(log, old);
            // the node writes on into the renamed file until it reopens
            append(old, "late 1\n");
            assertEquals("late 1\n".length(), f.poll(), "still reads the old file while no new one exists");
            append(old, "late 2 without line end");
            append(log, "new 1\n");
            f.poll();
            assertEquals(0, f.rotations());
            f.poll();
            assertEquals(List.of("before", "late 1", "late 2 without line end", "new 1"), lines);
            assertEquals(1, f.rotations());
            append(log, "new 2\n");
            f.poll();
            assertEquals("new 2", lines.get(lines.size() - 1));
        }
    }

    @Test
    void truncationStartsAgainFromTheStart() throws IOException {
        Path log = dir.resolve("debug.log");
        append(log, "one\ntwo\nunfinished");
        try (LogFollower f = follower(log, true)) {
            f.poll();
            try (RandomAccessFile raf = new RandomAccessFile(log.toFile(), "rw")) {
                raf.setLength(0);
            }
            f.poll();
            append(log, "three\n");
            f.poll();
            assertEquals(List.of("one", "two", "three"), lines);
            assertEquals(1, f.truncations());
            assertEquals(1, f.partialLinesDropped());
        }
    }

    @Test
    void reopeningTheSameFileCarriesOnWhereItStopped() throws IOException {
        Path log = dir.resolve("debug.log");
        append(log, "one\n");
        try (LogFollower f = follower(log, true)) {
            f.poll();
            f.close();
            append(log, "two\n");
            f.poll();
            assertEquals(List.of("one", "two"), lines);
        }
    }

    @Test
    void aGigabyteFileStartedFromTheEndIsNotRead() throws IOException {
        Path log = dir.resolve("debug.log");
        try (RandomAccessFile raf = new RandomAccessFile(log.toFile(), "rw")) {
            raf.setLength(1L << 30); // sparse: no disk, no time
        }
        try (LogFollower f = follower(log, false)) {
            f.poll();
            append(log, "\nafter\n");
            f.poll();
            assertEquals(List.of("after"), lines);
            assertTrue(f.bytesRead() < 100, "read " + f.bytesRead() + " bytes");
        }
    }

    @Test
    void aLineLongerThanTheLimitIsSkippedAndCounted() throws IOException {
        Path log = dir.resolve("debug.log");
        String exactlyMax = "x".repeat(MAX);
        try (LogFollower f = follower(log, true);
             OutputStream out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            out.write("before\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 20];
            Arrays.fill(chunk, (byte) 'y');
            for (int i = 0; i < 8; i++) {
                out.write(chunk); // 8 MiB without a line end, read in between
                f.poll();
            }
            out.write("\n".getBytes(StandardCharsets.US_ASCII));
            out.write((exactlyMax + "\nafter\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            f.poll();
            assertEquals(List.of("before", exactlyMax, "after"), lines);
            assertEquals(1, f.linesTooLong());
            assertEquals(3, f.linesRead());
        }
    }

    @Test
    void aLineOneByteOverTheLimitIsSkipped() throws IOException {
        Path log = dir.resolve("debug.log");
        append(log, "x".repeat(MAX + 1) + "\nok\n");
        try (LogFollower f = follower(log, true)) {
            f.poll();
            assertEquals(List.of("ok"), lines);
            assertEquals(1, f.linesTooLong());
        }
    }

    @Test
    @Timeout(20)
    void aFifoIsFollowedAcrossWritersAndTheReadEndsOnInterrupt() throws Exception {
        Path fifo = dir.resolve("debug.fifo");
        assertTrue(mkfifo(fifo), "mkfifo (coreutils) failed");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        LogFollower f = new LogFollower(fifo, false, MAX, received::add);
        Thread reader = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    f.poll();
                }
            } catch (IOException e) {
                // ClosedByInterruptException: the way a blocked FIFO read ends
            } finally {
                f.close();
            }
        });
        reader.start();
        // two writers one after the other, as across a node restart
        for (String text : List.of("one\ntwo\n", "three\n")) {
            try (OutputStream out = Files.newOutputStream(fifo, StandardOpenOption.WRITE)) {
                out.write(text.getBytes(StandardCharsets.US_ASCII));
            }
        }
        assertEquals("one", received.poll(5, TimeUnit.SECONDS));
        assertEquals("two", received.poll(5, TimeUnit.SECONDS));
        assertEquals("three", received.poll(5, TimeUnit.SECONDS));
        reader.interrupt();
        reader.join(5000);
        assertFalse(reader.isAlive(), "a read blocked on the FIFO ends when the thread is interrupted");
    }

    private static boolean mkfifo(Path fifo) {
        try {
            return new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
