package org.peerobserver.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.peerobserver.testing.AppProcess;
import org.peerobserver.testing.NatsServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NATS user/password and basic auth on the metrics tool and the FIBRE exporter, at debug level: the right
 * credentials work, wrong ones are refused clearly, and no log line carries a password (plain or base64).
 */
class NoCredentialsInLogsIT {
    private static final String NATS_SECRET = "nats-Secret-4711";
    private static final String METRICS_SECRET = "metrics-Secret-0815";
    private static final String FIBRE_SECRET = "fibre-Secret-1234";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static int status(int port, String user, String password) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10));
        if (user != null) {
            r.header("Authorization", "Basic " + basic(user, password));
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String basic(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static void assertNoSecrets(List<String> lines, String... secrets) {
        for (String line : lines) {
            for (String secret : secrets) {
                assertTrue(!line.contains(secret), "a log line carries a credential: " + line);
            }
        }
    }

    @Test
    void rightCredentialsWorkWrongOnesAreRefusedAndNoneIsLogged() throws Exception {
        try (NatsServer nats = new NatsServer("--user", "peer", "--pass", NATS_SECRET)) {
            int metricsPort = NatsServer.freePort();
            int fibrePort = NatsServer.freePort();
            Map<String, String> env = new HashMap<>(Map.of("BUS", "nats", "NATS_ADDRESS", nats.url(), "NATS_USER", "peer",
                    "NATS_PASSWORD", NATS_SECRET, "EXTRACTOR_TYPE", "replay", "TOOLS", "metrics,fibre-exporter",
                    "LOG_LEVEL", "trace", "METRICS_ADDRESS", "127.0.0.1:" + metricsPort,
                    "METRICS_AUTH_USERNAME", "prometheus", "METRICS_AUTH_PASSWORD", METRICS_SECRET));
            env.putAll(Map.of("FIBRE_METRICS_PORT", Integer.toString(fibrePort),
                    "FIBRE_HEALTH_PORT", Integer.toString(NatsServer.freePort()),
                    "FIBRE_METRICS_AUTH_USERNAME", "prometheus", "FIBRE_METRICS_AUTH_PASSWORD", FIBRE_SECRET));
            List<String> lines;
            try (AppProcess app = new AppProcess(env)) {
                app.awaitLine(l -> l.contains("Connected to NATS"), Duration.ofSeconds(60));
                app.awaitLine(l -> l.contains("FIBRE exporter metrics on"), Duration.ofSeconds(60));
                for (int port : new int[] { metricsPort, fibrePort }) {
                    assertEquals(401, status(port, null, null));
                    assertEquals(401, status(port, "prometheus", "guess"));
                    assertEquals(401, status(port, "grafana", port == metricsPort ? METRICS_SECRET : FIBRE_SECRET));
                }
                assertEquals(200, status(metricsPort, "prometheus", METRICS_SECRET));
                assertEquals(200, status(fibrePort, "prometheus", FIBRE_SECRET));
                lines = List.copyOf(app.lines());
            }
            assertNoSecrets(lines, NATS_SECRET, METRICS_SECRET, FIBRE_SECRET, basic("prometheus", METRICS_SECRET),
                    basic("prometheus", FIBRE_SECRET), basic("peer", NATS_SECRET));

            env.put("NATS_PASSWORD", "wrong-" + NATS_SECRET);
            try (AppProcess app = new AppProcess(env)) {
                String refused = app.awaitLine(l -> l.contains("Cannot connect to NATS"), Duration.ofSeconds(60));
                assertTrue(refused.toLowerCase().contains("authorization violation"), refused);
                lines = List.copyOf(app.lines());
            }
            assertNoSecrets(lines, NATS_SECRET, METRICS_SECRET, FIBRE_SECRET);
        }
    }
}
