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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.peerobserver.extractor.rpc.FakeBitcoind;
import org.peerobserver.testing.AppProcess;
import org.peerobserver.testing.NatsServer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every readable attribute of every Camel and JVM MBean, read through Jolokia, and every log line at trace
 * level, while the process holds an RPC password, a NATS password, the metrics tool's and the management
 * port's: none of them, plain or as basic auth sends it, shows anywhere.
 */
class NoCredentialsThroughManagementIT {
    private static final String RPC_SECRET = "rpc-Secret-1618";
    private static final String NATS_SECRET = "nats-Secret-1414";
    private static final String METRICS_SECRET = "metrics-Secret-1732";
    private static final String MANAGEMENT_SECRET = "mgmt-Secret-2236";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String basic(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static void assertNoSecret(String where, String text) {
        for (String secret : List.of(RPC_SECRET, NATS_SECRET, METRICS_SECRET, MANAGEMENT_SECRET, basic("observer", RPC_SECRET),
                basic("peer", NATS_SECRET), basic("prometheus", METRICS_SECRET), basic("operator", MANAGEMENT_SECRET))) {
            int at = text.indexOf(secret);
            assertTrue(at < 0, () -> where + " shows a credential: ..." + text.substring(Math.max(0, at - 200), at + secret.length()));
        }
    }

    private static HttpResponse<String> post(AppProcess app, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.managementPort() + "/observe/jolokia?ignoreErrors=true"))
                .header("Authorization", "Basic " + basic("operator", MANAGEMENT_SECRET))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void noAttributeAndNoLogLineShowsAPassword() throws Exception {
        try (NatsServer nats = new NatsServer("--user", "peer", "--pass", NATS_SECRET);
             FakeBitcoind node = new FakeBitcoind("observer:" + RPC_SECRET).withCoreFixtures(30)) {
            // the NATS password in the server's URL, the RPC password as upstream's flag takes it
            Map<String, String> env = new HashMap<>(Map.of("BUS", "nats", "NATS_ADDRESS", nats.url().replace("://", "://peer:" + NATS_SECRET + "@"),
                    "EXTRACTOR_TYPE", "rpc", "RPC_PORT", Integer.toString(node.port()), "RPC_USER", "observer", "TOOLS", "metrics",
                    "LOG_LEVEL", "trace"));
            env.putAll(Map.of("METRICS_ADDRESS", "127.0.0.1:" + NatsServer.freePort(), "METRICS_AUTH_USERNAME", "prometheus",
                    "METRICS_AUTH_PASSWORD", METRICS_SECRET, "MANAGEMENT_FULL_CONTROL", "true",
                    "MANAGEMENT_AUTH_USERNAME", "operator", "MANAGEMENT_AUTH_PASSWORD", MANAGEMENT_SECRET));
            try (AppProcess app = new AppProcess(env, "--rpc-password", RPC_SECRET)) {
                app.awaitLine(l -> l.contains("Management server on"), Duration.ofSeconds(60));
                await().atMost(Duration.ofSeconds(30)).until(() -> node.methodsCalled().contains("getpeerinfo"));

                // an endpoint whose URI carries a password, as a full-control caller may make one: it goes to the log masked
                String send = JSON.writeValueAsString(Map.of("type", "exec", "operation", "requestBody(java.lang.String,java.lang.Object)",
                        "mbean", "org.apache.camel:context=peer-observer,type=context,name=\"peer-observer\"",
                        "arguments", List.of("bitcoin-rpc:call?method=uptime&user=observer&password=" + RPC_SECRET, "")));
                assertEquals(200, JSON.readTree(post(app, send).body()).path("status").asInt());

                String everything = JSON.writeValueAsString(List.of(Map.of("type", "read", "mbean", "org.apache.camel:*"),
                        Map.of("type", "read", "mbean", "java.lang:*")));
                HttpResponse<String> read = post(app, everything);
                assertEquals(200, read.statusCode());
                JsonNode answers = JSON.readTree(read.body());
                for (JsonNode answer : answers) {
                    assertEquals(200, answer.path("status").asInt(), answer.toString());
                }
                // what was read covers the places a credential could sit: the RPC and bus components, their endpoints and
                // consumers, the management server, the JVM's arguments and system properties
                for (String part : List.of("bitcoin-rpc://node", "name=\\\"bitcoin-rpc\\\",type=components", "name=\\\"bus\\\",type=components",
                        "ManagementHttpServer", "java.lang:type=Runtime", "SystemProperties", "InputArguments")) {
                    assertTrue(read.body().contains(part), part);
                }
                assertNoSecret("Jolokia", read.body());
                assertFalse(app.lines().isEmpty());
                app.lines().forEach(line -> assertNoSecret("the log", line));
            }
        }
    }
}
