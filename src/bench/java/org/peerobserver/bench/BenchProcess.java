package org.peerobserver.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process the bench starts (the application through bin/peer-observer, a USDT target, the BCC
 * consumer). Its output is read as it comes and not kept whole, since a logger at 20,000 lines/s
 * runs for half an hour: only the last lines, and the first WARN/ERROR lines with a count of all.
 */
final class BenchProcess implements AutoCloseable {
    private static final int TAIL = 200;
    private static final int PROBLEMS_KEPT = 10;
    private final String name;
    private final Process process;
    private final Deque<String> tail = new ArrayDeque<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final AtomicLong problemCount = new AtomicLong();
    private final AtomicLong lines = new AtomicLong();

    BenchProcess(String name, List<String> command, Map<String, String> env) throws IOException {
        this.name = name;
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        process = pb.start();
        Thread reader = new Thread(this::read, name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.incrementAndGet();
                if (line.contains(" ERROR ") || line.contains(" WARN ") || line.startsWith("Exception")) {
                    if (problemCount.incrementAndGet() <= PROBLEMS_KEPT) {
                        problems.add(line);
                    }
                }
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException ended) {
            // the process ended
        }
    }

    long pid() {
        return process.pid();
    }

    long lines() {
        return lines.get();
    }

    long problemCount() {
        return problemCount.get();
    }

    List<String> problems() {
        return problems;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The first of the last lines that starts with {@code prefix}, waiting for it. */
    String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean ended = false;
        while (true) {
            synchronized (tail) {
                for (String l : tail) {
                    if (l.startsWith(prefix)) {
                        return l;
                    }
                }
            }
            if (ended || System.nanoTime() > deadline) {
                break;
            }
            ended = !process.isAlive();
            Thread.sleep(ended ? 200 : 20);   // once it ended, give the reader time for its last lines
        }
        throw new IllegalStateException(name + " printed no \"" + prefix + "\" line within " + timeout.toSeconds()
                + " s; its last lines:\n  " + String.join("\n  ", lastLines(30)));
    }

    List<String> lastLines(int n) {
        synchronized (tail) {
            List<String> all = new ArrayList<>(tail);
            return all.subList(Math.max(0, all.size() - n), all.size());
        }
    }

    /** Resident set size in bytes, from /proc. */
    long rss() throws IOException {
        for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid() + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
