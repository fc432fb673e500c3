package org.peerobserver.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A log file in target/bench/logs keeps the first {@value #LOG_LINES} lines whole and, after them,
 * only WARN/ERROR lines and stack traces, so a failure late in a soak can still be read.
 */
final class BenchProcess implements AutoCloseable {
    private static final int TAIL = 200;
    private static final int PROBLEMS_KEPT = 10;
    private static final int LOG_LINES = 200_000;
    private final String name;
    private final Process process;
    private final Deque<String> tail = new ArrayDeque<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final AtomicLong problemCount = new AtomicLong();
    private final AtomicLong lines = new AtomicLong();
    private final Path log;

    BenchProcess(String name, List<String> command, Map<String, String> env) throws IOException {
        this.name = name;
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        process = pb.start();
        Path logs = Path.of("target/bench/logs");
        Files.createDirectories(logs);
        log = logs.resolve(name + "-" + process.pid() + ".log");
        Thread reader = new Thread(this::read, name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             BufferedWriter w = Files.newBufferedWriter(log)) {
            for (String line; (line = r.readLine()) != null; ) {
                long n = lines.incrementAndGet();
                boolean problem = line.contains(" ERROR ") || line.contains(" WARN ") || line.startsWith("Exception");
                if (problem && problemCount.incrementAndGet() <= PROBLEMS_KEPT) {
                    problems.add(line);
                }
                if (n <= LOG_LINES || problem || line.startsWith("\tat ") || line.startsWith("Caused by")) {
                    w.write(line);
                    w.newLine();
                }
                if (n == LOG_LINES) {
                    w.write("[bench: from here on only WARN/ERROR lines and stack traces]");
                    w.newLine();
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

    Path log() {
        return log;
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

    /** Starts counting WARN/ERROR lines afresh, e.g. once a warm-up is over. */
    void resetProblems() {
        problemCount.set(0);
        problems.clear();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The first of the last lines that starts with {@code prefix}, waiting for it. */
    String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        return awaitLine(l -> l.startsWith(prefix), prefix, timeout);
    }

    /** The first of the last lines that contains {@code text} (a log line, after its date), waiting for it. */
    String awaitLineWith(String text, Duration timeout) throws InterruptedException {
        return awaitLine(l -> l.contains(text), text, timeout);
    }

    private String awaitLine(java.util.function.Predicate<String> wanted, String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean ended = false;
        while (true) {
            synchronized (tail) {
                for (String l : tail) {
                    if (wanted.test(l)) {
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

    /** CPU time used so far (user + system, not its children), in seconds, from /proc; clock ticks of 1/100 s as on Linux x86_64. */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    /** Resident set size in bytes, from /proc. */
    long rss() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
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
