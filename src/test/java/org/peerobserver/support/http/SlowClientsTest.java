package org.peerobserver.support.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.CapturedLog;
import org.peerobserver.testing.Commands;
import org.peerobserver.testing.NatsServer;
import org.peerobserver.testing.RawHttp;
import org.peerobserver.tool.connectivity.ConnectivityCheck;
import org.peerobserver.tool.fibre.FibreExporter;
import org.peerobserver.tool.metrics.MetricsTool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every HTTP port of the tools (metrics, FIBRE metrics over TLS, FIBRE health, connectivity-check metrics,
 * websocket) under the slow-client attack: requests sent up to their last empty line and then held, a head
 * trickled a byte at a time, more connections than the cap. Scrapes and /health still answer within 1 s.
 */
class SlowClientsTest extends AppTestSupport {
    // long enough that all 260 connections are open before the first is cut off, on a busy 2-core machine too
    static final int HEADER_TIMEOUT = 10;
    static final int IDLE_TIMEOUT = 2;
    static final int MAX_CONNECTIONS = 60;
    static final Duration ONE_SECOND = Duration.ofSeconds(1);
    @TempDir
    static Path dir;
    static int websocketPort;

    @BeforeAll
    static void certificate() throws Exception {
        Commands.selfSignedCertificate(dir);
    }

    @Override
    protected Properties settings() {
        try {
            websocketPort = NatsServer.freePort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return props("tools", "metrics,fibre-exporter,connectivity-check,websocket", "camel.metrics.enabled", "true",
                "metrics.address", "127.0.0.1:0", "connectivity.metrics-address", "127.0.0.1:0",
                "connectivity.csv-dir", dir.toString(), "websocket.address", "127.0.0.1:" + websocketPort,
                "fibre.metrics-port", "0", "fibre.health-port", "0", "fibre.auth-username", "prometheus",
                "fibre.auth-password", "s3cret", "fibre.tls-cert", dir.resolve("cert.pem").toString(),
                "fibre.tls-key", dir.resolve("key.pem").toString(),
                "http.header-timeout", Integer.toString(HEADER_TIMEOUT), "http.idle-timeout", Integer.toString(IDLE_TIMEOUT),
                "http.max-connections", Integer.toString(MAX_CONNECTIONS));
    }

    /** A client context that trusts only the test certificate. */
    static SSLContext tls() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("cert.pem"))) {
            trust.setCertificateEntry("test", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    String ownMetrics() {
        return context.getRegistry().lookupByNameAndType("metricsRegistry", PrometheusMeterRegistry.class).scrape();
    }

    double ownMetric(String line) {
        return ownMetrics().lines().filter(l -> l.startsWith(line + " ")).mapToDouble(l -> Double.parseDouble(l.substring(line.length() + 1)))
                .findFirst().orElse(-1);
    }

    double refused(String server, String reason) {
        return ownMetric("peerobserver_http_connections_refused_total{reason=\"" + reason + "\",server=\"" + server + "\"}");
    }

    double open(String server) {
        return ownMetric("peerobserver_http_connections{server=\"" + server + "\"}");
    }

    /** The tools' ports by their HttpPort names, once all are open. */
    Map<String, Integer> ports() {
        await().atMost(20, TimeUnit.SECONDS).until(() -> open("connectivity-metrics") >= 0 && open("websocket") >= 0);
        FibreExporter fibre = context.getRegistry().lookupByNameAndType("fibreExporter", FibreExporter.class);
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("metrics", context.getRegistry().lookupByNameAndType("metricsTool", MetricsTool.class).port());
        ports.put("fibre-metrics", fibre.metricsPort());
        ports.put("fibre-health", fibre.healthPort());
        ports.put("connectivity-metrics", context.getRegistry().lookupByNameAndType("connectivityCheck", ConnectivityCheck.class).metricsPort());
        ports.put("websocket", websocketPort);
        return ports;
    }

    /** What each port answers to its ordinary client (Prometheus, a probe, a browser), which must come within 1 s. */
    int ordinaryRequest(HttpClient http, String server, int port) throws Exception {
        String scheme = server.equals("fibre-metrics") ? "https" : "http";
        String path = switch (server) {
            case "fibre-health" -> "/health";
            case "websocket" -> "/";
            default -> "/metrics";
        };
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + port + path)).timeout(ONE_SECOND);
        if (server.equals("fibre-metrics")) {
            r.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("prometheus:s3cret".getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void fiftyHalfSentRequestsOnEveryPortHoldUpNoScrapeAndAreClosedByTheHeaderTimeout() throws Exception {
        Map<String, Integer> ports = ports();
        SSLContext tls = tls();
        Map<String, List<Socket>> held = new LinkedHashMap<>();
        List<Socket> noHandshake = new ArrayList<>();
        Thread trickle;
        try (CapturedLog log = new CapturedLog(HttpPort.class)) {
            // on the metrics port one of the fifty trickles its head, a byte every 300 ms, and is cut off all the same
            Socket trickler = RawHttp.connect(ports.get("metrics"), null);
            trickle = new Thread(() -> {
                try {
                    RawHttp.send(trickler, RawHttp.HALF_SENT);
                    while (true) {
                        Thread.sleep(300);
                        RawHttp.send(trickler, "X");
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server: what the test waits for
                }
            });
            trickle.start();
            held.computeIfAbsent("metrics", k -> new ArrayList<>()).add(trickler);
            // opened from several threads: fifty TLS handshakes one after another take seconds on a busy machine
            ExecutorService openers = Executors.newFixedThreadPool(8);
            try {
                Map<String, List<Future<Socket>>> opening = new LinkedHashMap<>();
                for (var port : ports.entrySet()) {
                    SSLSocketFactory factory = port.getKey().equals("fibre-metrics") ? tls.getSocketFactory() : null;
                    int count = port.getKey().equals("metrics") ? 49 : 50;
                    for (int i = 0; i < count; i++) {
                        opening.computeIfAbsent(port.getKey(), k -> new ArrayList<>())
                                .add(openers.submit(() -> RawHttp.halfSent(port.getValue(), factory)));
                    }
                }
                for (int i = 0; i < 10; i++) {
                    // and ten that never even start their TLS handshake
                    opening.computeIfAbsent("no-handshake", k -> new ArrayList<>())
                            .add(openers.submit(() -> RawHttp.connect(ports.get("fibre-metrics"), null)));
                }
                for (var futures : opening.entrySet()) {
                    List<Socket> sockets = futures.getKey().equals("no-handshake") ? noHandshake
                            : held.computeIfAbsent(futures.getKey(), k -> new ArrayList<>());
                    for (Future<Socket> f : futures.getValue()) {
                        sockets.add(f.get(20, TimeUnit.SECONDS));
                    }
                }
            } finally {
                openers.shutdownNow();
            }
            HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(ONE_SECOND).build();
            for (var port : ports.entrySet()) {
                // the server counts a TLS connection a moment after the client's side of the handshake ends
                await().atMost(5, TimeUnit.SECONDS).until(() -> open(port.getKey()) >= 50);
                assertEquals(200, ordinaryRequest(http, port.getKey(), port.getValue()), port.getKey());
            }

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HEADER_TIMEOUT + 3);
            for (var sockets : held.entrySet()) {
                for (Socket s : sockets.getValue()) {
                    assertTrue(RawHttp.closedWithin(s, Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))),
                            sockets.getKey() + ": a half-sent request outlived the header timeout");
                    s.close();
                }
            }
            for (Socket s : noHandshake) {
                assertTrue(RawHttp.closedWithin(s, Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))),
                        "a connection without a TLS handshake outlived the handshake timeout");
                s.close();
            }
            trickle.join(5000);
            assertFalse(trickle.isAlive());
            for (String server : ports.keySet()) {
                assertEquals(50, refused(server, "header_timeout"), server);
            }
            await().atMost(5, TimeUnit.SECONDS).until(() -> refused("fibre-metrics", "tls_handshake") == 10);
            // once a minute per port and reason: one line for fifty
            List<String> lines = log.lines("WARN");
            for (String server : ports.keySet()) {
                assertEquals(1, lines.stream().filter(l -> l.startsWith("WARN HTTP port " + server + " (")
                        && l.contains("reason=\"header_timeout\"")).count(), lines::toString);
            }
            assertEquals(1, lines.stream().filter(l -> l.contains("reason=\"tls_handshake\"")).count(), lines::toString);
        }
    }

    @Test
    void aFullPortClosesItsOldestWaitingConnectionAndRefusesOnlyWhenAllAreBusy() throws Exception {
        Map<String, Integer> ports = ports();
        HttpClient http = HttpClient.newBuilder().connectTimeout(ONE_SECOND).build();
        try (CapturedLog log = new CapturedLog(HttpPort.class)) {
            List<Socket> waiting = new ArrayList<>();
            for (int i = 0; i < MAX_CONNECTIONS + 10; i++) {
                waiting.add(RawHttp.halfSent(ports.get("metrics"), null));
            }
            for (int i = 0; i < 10; i++) {
                assertTrue(RawHttp.closedWithin(waiting.get(i), ONE_SECOND), "the oldest waiting made room, #" + i);
            }
            assertEquals(200, ordinaryRequest(http, "metrics", ports.get("metrics")), "a scrape gets in when the port is full");
            assertTrue(refused("metrics", "evicted") >= 11, "evicted " + refused("metrics", "evicted"));
            assertTrue(open("metrics") <= MAX_CONNECTIONS);
            assertFalse(RawHttp.closedWithin(waiting.get(waiting.size() - 1), Duration.ofMillis(100)), "the newest stays");

            // websocket clients are busy for as long as they stay: the one past the cap is refused
            List<Socket> clients = new ArrayList<>();
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                Socket s = RawHttp.websocket(websocketPort, "127.0.0.1", null);
                assertEquals(101, RawHttp.status(s, Duration.ofSeconds(5)));
                clients.add(s);
            }
            Socket over = RawHttp.connect(websocketPort, null);
            assertTrue(RawHttp.closedWithin(over, ONE_SECOND));
            assertEquals(1, refused("websocket", "full"));
            for (Socket s : clients) {
                assertFalse(RawHttp.closedWithin(s, Duration.ofMillis(1)));
                s.close();
            }
            for (Socket s : waiting) {
                s.close();
            }
            over.close();
            List<String> lines = log.lines("WARN");
            assertEquals(1, lines.stream().filter(l -> l.contains("reason=\"evicted\"")).count(), lines::toString);
            assertEquals(1, lines.stream().filter(l -> l.contains("reason=\"full\"")).count(), lines::toString);
        }
    }

    @Test
    void aConnectionIdleAfterItsAnswerIsClosedQuietly() throws Exception {
        Map<String, Integer> ports = ports();
        try (Socket s = RawHttp.connect(ports.get("metrics"), null)) {
            RawHttp.send(s, RawHttp.HALF_SENT + "\r\n");
            assertEquals(200, RawHttp.status(s, Duration.ofSeconds(5)));
            assertFalse(RawHttp.closedWithin(s, Duration.ofMillis(IDLE_TIMEOUT * 1000 - 700)), "kept alive for a while");
            assertTrue(RawHttp.closedWithin(s, Duration.ofSeconds(3)), "closed after the idle timeout");
        }
        assertEquals(0, refused("metrics", "header_timeout"));
    }
}
