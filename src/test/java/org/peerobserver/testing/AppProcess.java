package org.peerobserver.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The packaged application (target/peer-observer-camel.jar) in its own JVM, as a user runs it,
 * with its standard output collected line by line. Used by the *IT tests, which run after package.
 */
public final class AppProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final int managementPort;
    /** Reads the output; it may still be draining the last lines for a moment after the process ends. */
    private final Thread reader;

    public AppProcess(Map<String, String> env, String... args) throws IOException {
        this(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                Path.of("target/peer-observer-camel.jar").toAbsolutePath().toString()), env, args);
    }

    /** The same through the launcher, {@code bin/peer-observer}, as the README starts it. */
    public static AppProcess launcher(Map<String, String> env, String... args) throws IOException {
        return new AppProcess(List.of(Path.of("bin/peer-observer").toAbsolutePath().toString()), env, args);
    }

    /** The packaged application with the test classes on its class path: for the examples that live under src/test. */
    public static AppProcess withTestClasses(Map<String, String> env, String... args) throws IOException {
        String classPath = Path.of("target/peer-observer-camel.jar").toAbsolutePath() + java.io.File.pathSeparator
                + Path.of("target/test-classes").toAbsolutePath();
        return new AppProcess(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp", classPath,
                "org.peerobserver.PeerObserver"), env, args);
    }

    private AppProcess(List<String> start, Map<String, String> env, String... args) throws IOException {
        this.managementPort = NatsServer.freePort();
        List<String> command = new ArrayList<>(start);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("MANAGEMENT_PORT", Integer.toString(managementPort));
        pb.environment().putAll(env);
        process = pb.start();
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "app-output");
        reader.setDaemon(true);
        reader.start();
    }

    public List<String> lines() {
        return lines;
    }

    public long count(Predicate<String> p) {
        return lines.stream().filter(p).count();
    }

    /** Waits until a line matches; fails with the output so far when none does in time. */
    public String awaitLine(Predicate<String> p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean ended = !process.isAlive();
            if (ended) {
                reader.join(5000);   // its last lines may still be on their way
            }
            for (String l : lines) {
                if (p.test(l)) {
                    return l;
                }
            }
            if (ended || System.nanoTime() >= deadline) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no matching line within " + timeout + "; output:\n" + String.join("\n", lines));
    }

    /** Waits until Camel has started every route of the process. */
    public void awaitStarted(Duration timeout) throws InterruptedException {
        awaitLine(l -> l.contains("(peer-observer) started in"), timeout);
    }

    /** The management server's port (MANAGEMENT_PORT unless the test's environment sets another). */
    public int managementPort() {
        return managementPort;
    }

    /** GET on the management server. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(managementPort, path);
    }

    /** GET on another port of 127.0.0.1, e.g. a tool's own server. */
    public static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the process did not end within " + timeout);
        }
        reader.join(5000);
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
