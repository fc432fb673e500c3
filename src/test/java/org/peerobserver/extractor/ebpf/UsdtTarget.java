package org.peerobserver.extractor.ebpf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The USDT test target built from native-probe/ (target/native/usdt-target), run as a process. */
public final class UsdtTarget implements AutoCloseable {
    public static final Path BINARY = Path.of("target/native/usdt-target").toAbsolutePath();

    private final Process process;
    private double seconds;

    private UsdtTarget(Process process) {
        this.process = process;
    }

    /**
     * Fails the calling test when the native parts were not built: these tests must run, and .ci/run
     * installs clang, libbpf-dev and systemtap-sdt-dev. (A build without clang still passes; its jar
     * reports the missing BPF object at start.)
     */
    public static void requireNativeParts() {
        assertTrue(Files.isExecutable(BINARY), "native-probe not built (clang, libbpf-dev, systemtap-sdt-dev missing)");
        assertTrue(BpfProbes.class.getResource(BpfProbes.RESOURCE) != null, "BPF object not built");
    }

    /** Starts the target: once attached it fires each of {@code tracepoints} {@code count} times at {@code rate}/s. */
    public static UsdtTarget start(String tracepoints, long count, long rate, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "-w", "20"));
        command.addAll(List.of(options));
        command.addAll(List.of(tracepoints, Long.toString(count), Long.toString(rate)));
        return new UsdtTarget(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** How long the last {@link #awaitFired()} took the target to fire, in seconds. */
    double seconds() {
        return seconds;
    }

    public long pid() {
        return process.pid();
    }

    /** Holds the target stopped (SIGSTOP), so tracers attach one after the other before it fires. */
    public void stop() throws Exception {
        signal("STOP");
    }

    public void resume() throws Exception {
        signal("CONT");
    }

    private void signal(String name) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(pid())).start().waitFor());
    }

    /** Still waiting to be attached, or still firing. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the target to fire everything; returns the number it fired. */
    public long awaitFired() throws Exception {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals(true, process.waitFor(60, TimeUnit.SECONDS), "usdt-target did not finish");
            String last = null;
            for (String line; (line = out.readLine()) != null; ) {
                last = line;
            }
            assertEquals(0, process.exitValue(), "usdt-target failed: " + last);
            String[] words = last.split(" ");
            seconds = Double.parseDouble(words[3]);
            return Long.parseLong(words[1]);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
