package org.peerobserver.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code nats-server} (Debian package) on a free loopback port, for integration tests.
 * It can be stopped and started again on the same port to test reconnection.
 */
public final class NatsServer implements AutoCloseable {
    private final int port;
    private final List<String> extraArgs;
    private final Path log;
    private Process process;

    public NatsServer(String... extraArgs) throws IOException {
        this.port = freePort();
        this.extraArgs = List.of(extraArgs);
        this.log = Files.createTempFile("nats-server", ".log");
        start();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public synchronized void start() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binary(), "-a", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("nats-server exited at start: " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        throw new IOException("nats-server did not listen on " + port + " within 10 s");
    }

    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    public static String binary() {
        for (String candidate : new String[] { System.getenv("NATS_SERVER"), "/usr/sbin/nats-server", "/usr/bin/nats-server" }) {
            if (candidate != null && new File(candidate).canExecute()) {
                return candidate;
            }
        }
        return "nats-server";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
