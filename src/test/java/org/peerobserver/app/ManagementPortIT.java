package org.peerobserver.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.extractor.rpc.FakeBitcoind;
import org.peerobserver.testing.AppProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The management port against the packaged jar, attacked as an outsider did: a local process, or a web
 * page in a browser on the host (a plain GET with a foreign Origin). By default Jolokia only reads
 * Camel's and the JVM's MBeans; with full control it takes the password, and can then do what it says.
 */
class ManagementPortIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ROUTE = "org.apache.camel:context=peer-observer,type=routes,name=\"extractor-replay\"";
    private static final String CONTEXT = "org.apache.camel:context=peer-observer,type=context,name=\"peer-observer\"";
    private static final String RPC_PASSWORD = "rpc-Secret-2718";
    private static final String MANAGEMENT_PASSWORD = "mgmt-Secret-3141";

    @TempDir
    Path dir;

    private static Map<String, String> replayingApp() {
        // the RPC credentials are configured (as for an rpc extractor) though nothing polls: an attack would borrow them
        return new HashMap<>(Map.of("EXTRACTOR_TYPE", "replay", "REPLAY_LOOP", "true", "TOOLS", "none",
                "RPC_USER", "observer", "RPC_PASSWORD", RPC_PASSWORD));
    }

    /** Jolokia's answer; {@code auth} is user:password or null, {@code headers} name/value pairs. */
    private static HttpResponse<String> jolokia(AppProcess app, String auth, String path, String postBody, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.managementPort() + "/observe/jolokia" + path))
                .timeout(Duration.ofSeconds(10));
        if (auth != null) {
            r.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        r = postBody == null ? r.GET() : r.POST(HttpRequest.BodyPublishers.ofString(postBody));
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Jolokia's own status for the request (403 when its policy refuses), or the HTTP status when it did not answer in JSON. */
    private static int status(HttpResponse<String> response) throws IOException {
        if (response.statusCode() != 200) {
            return response.statusCode();
        }
        return JSON.readTree(response.body()).path("status").asInt();
    }

    private static String exec(String mbean, String operation, Object... arguments) throws IOException {
        return JSON.writeValueAsString(Map.of("type", "exec", "mbean", mbean, "operation", operation, "arguments", List.of(arguments)));
    }

    private static String read(String mbean, String attribute) throws IOException {
        return JSON.writeValueAsString(Map.of("type", "read", "mbean", mbean, "attribute", attribute));
    }

    private static String path(String mbean) {
        return mbean.replace("\"", "%22");
    }

    private static String routeState(AppProcess app, String auth) throws IOException, InterruptedException {
        return JSON.readTree(jolokia(app, auth, "", read(ROUTE, "State")).body()).path("value").asText();
    }

    @Test
    void byDefaultJolokiaOnlyReadsCamelAndTheJvmAndNoWebPageGetsIn() throws Exception {
        Path heapDump = dir.resolve("heap.hprof");
        try (FakeBitcoind chosenListener = new FakeBitcoind("observer:" + RPC_PASSWORD);
             AppProcess app = new AppProcess(replayingApp())) {
            String summary = app.awaitLine(l -> l.contains("Management server on"), Duration.ofSeconds(60));
            assertTrue(summary.contains("http://127.0.0.1:" + app.managementPort() + ":"), summary);
            assertTrue(summary.contains("read-only"), summary);
            assertEquals(0, app.count(l -> l.contains("0.0.0.0:" + app.managementPort())), "no line claims 0.0.0.0");

            // route statistics stay readable, GET and POST
            HttpResponse<String> exchanges = jolokia(app, null, "/read/" + path(ROUTE) + "/ExchangesTotal", null);
            assertEquals(200, status(exchanges), exchanges.body());
            assertTrue(JSON.readTree(exchanges.body()).path("value").isNumber(), exchanges.body());
            assertEquals(200, status(jolokia(app, null, "", read("java.lang:type=Memory", "HeapMemoryUsage"))));

            // 1. stop a route
            assertEquals(403, status(jolokia(app, null, "/exec/" + path(ROUTE) + "/stop()", null)));
            assertEquals(403, status(jolokia(app, null, "", exec(ROUTE, "stop()"))));
            assertEquals("Started", routeState(app, null));
            // 2. make the extractor's RPC client call "stop", at a port of the caller's choosing, with the node's credentials
            HttpResponse<String> send = jolokia(app, null, "", exec(CONTEXT, "requestBody(java.lang.String,java.lang.Object)",
                    "bitcoin-rpc:call?method=stop&port=" + chosenListener.port(), ""));
            assertEquals(403, status(send), send.body());
            assertEquals(List.of(), chosenListener.methodsCalled());
            // 3. load a native agent into the JVM
            assertEquals(403, status(jolokia(app, null, "", exec("com.sun.management:type=DiagnosticCommand", "jvmtiAgentLoad",
                    (Object) new String[] { dir.resolve("agent.so").toString() }))));
            // 4. dump the heap (it holds the passwords) where the caller likes
            assertEquals(403, status(jolokia(app, null, "", exec("com.sun.management:type=HotSpotDiagnostic", "dumpHeap",
                    heapDump.toString(), true))));
            assertEquals(403, status(jolokia(app, null, "/exec/com.sun.management:type=HotSpotDiagnostic/dumpHeap/"
                    + heapDump.toString().replace("/", "!/") + "/true", null)));
            assertFalse(Files.exists(heapDump));
            // no write, no reading beyond Camel and the JVM
            assertEquals(403, status(jolokia(app, null, "/write/java.lang:type=Memory/Verbose/true", null)));
            assertEquals(403, status(jolokia(app, null, "/read/com.sun.management:type=HotSpotDiagnostic/DiagnosticOptions", null)));

            // 5. a web page: its GET carries Origin (or at least Referer); refused, reads included
            for (String[] page : List.of(new String[] { "Origin", "http://evil.example" }, new String[] { "Origin", "null" },
                    new String[] { "Referer", "http://evil.example/page.html" },
                    new String[] { "Origin", "http://127.0.0.1:" + app.managementPort() + ".evil.example" })) {
                HttpResponse<String> r = jolokia(app, null, "/read/" + path(ROUTE) + "/ExchangesTotal", null, page);
                assertNotEquals(200, status(r), page[0] + ": " + page[1] + " -> " + r.body());
                assertFalse(r.body().contains("\"value\""), r.body());
                assertNotEquals(200, status(jolokia(app, null, "/exec/" + path(ROUTE) + "/stop()", null, page)));
            }
            assertEquals("Started", routeState(app, null));
            // and no JSONP to read an answer across origins
            assertTrue(jolokia(app, null, "/version?callback=steal", null).body().startsWith("{"));

            // list and search show Camel's and the JVM's MBeans only
            Set<String> domains = new TreeSet<>();
            JSON.readTree(jolokia(app, null, "/list?maxDepth=1", null).body()).path("value").fieldNames().forEachRemaining(domains::add);
            assertEquals(Set.of("java.lang", "org.apache.camel"), domains);
            for (JsonNode name : JSON.readTree(jolokia(app, null, "/search/*:*", null).body()).path("value")) {
                assertTrue(name.asText().startsWith("org.apache.camel:") || name.asText().startsWith("java.lang:"), name.asText());
            }

            // a body past MANAGEMENT_MAX_BODY_SIZE, announced by a header alone: refused, counted, logged once
            for (int i = 0; i < 100; i++) {
                assertEquals("HTTP/1.1 413 Request Entity Too Large", announceHugeBody(app.managementPort()));
            }
            String metrics = app.get("/observe/metrics").body();
            assertTrue(metrics.contains("peerobserver_management_refused_total{reason=\"body_too_large\"} 100.0"), metrics);
            assertEquals(1, app.count(l -> l.contains("Management port refused a body over MANAGEMENT_MAX_BODY_SIZE")));
            assertEquals(0, app.count(l -> l.contains("Unhandled exception")));

            // health and metrics are not Jolokia's: open, and answering, also while 50 requests hang half-sent
            assertEquals(200, app.get("/observe/health").statusCode());
            List<Socket> halfSent = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    Socket socket = new Socket(InetAddress.getLoopbackAddress(), app.managementPort());
                    socket.getOutputStream().write("GET /observe/metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                    halfSent.add(socket);
                }
                for (String path : List.of("/observe/health", "/observe/metrics", "/observe/jolokia/version")) {
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.managementPort() + path))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode(), path);
                }
            } finally {
                for (Socket socket : halfSent) {
                    socket.close();
                }
            }
        }
    }

    /** The status line of the answer to a POST whose header announces 100 MB that never come. */
    private static String announceHugeBody(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /observe/jolokia/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void fullControlTakesThePasswordThenStopsRoutesAndSendsMessagesButNeverLoadsAgents() throws Exception {
        Map<String, String> env = replayingApp();
        env.putAll(Map.of("MANAGEMENT_FULL_CONTROL", "true", "MANAGEMENT_AUTH_USERNAME", "operator",
                "MANAGEMENT_AUTH_PASSWORD", MANAGEMENT_PASSWORD));
        String auth = "operator:" + MANAGEMENT_PASSWORD;
        try (FakeBitcoind chosenListener = new FakeBitcoind("observer:" + RPC_PASSWORD);
             AppProcess app = new AppProcess(env)) {
            String summary = app.awaitLine(l -> l.contains("Management server on"), Duration.ofSeconds(60));
            assertTrue(summary.contains("full control, basic auth"), summary);

            for (String wrong : new String[] { null, "operator:guess", "other:" + MANAGEMENT_PASSWORD }) {
                assertEquals(401, jolokia(app, wrong, "", read(ROUTE, "State")).statusCode());
                assertEquals(401, jolokia(app, wrong, "/read/" + path(ROUTE) + "/State", null).statusCode());
            }
            assertEquals(200, app.get("/observe/health").statusCode(), "health needs no password");
            // a page in a browser that remembers the password: a GET may carry no Origin, so only POST is served
            assertEquals(403, status(jolokia(app, auth, "/exec/" + path(ROUTE) + "/stop()", null)));
            assertNotEquals(200, status(jolokia(app, auth, "", exec(ROUTE, "stop()"), "Origin", "http://evil.example")));
            assertEquals("Started", routeState(app, auth));
            // the JVM's diagnostics stay out of reach
            assertEquals(403, status(jolokia(app, auth, "", exec("com.sun.management:type=HotSpotDiagnostic", "dumpHeap",
                    dir.resolve("heap.hprof").toString(), true))));
            assertEquals(403, status(jolokia(app, auth, "", exec("com.sun.management:type=DiagnosticCommand", "jvmtiAgentLoad",
                    (Object) new String[] { dir.resolve("agent.so").toString() }))));

            // what docs/operations.md warns of: with the password, any message to any endpoint, the node's credentials included
            HttpResponse<String> send = jolokia(app, auth, "", exec(CONTEXT, "requestBody(java.lang.String,java.lang.Object)",
                    "bitcoin-rpc:call?method=stop&port=" + chosenListener.port(), ""));
            // (the fake node knows no "stop" and answers with an error, which Jolokia passes on)
            assertNotEquals(403, status(send), send.body());
            assertEquals(List.of("stop"), chosenListener.methodsCalled());
            assertEquals(200, status(jolokia(app, auth, "", exec(ROUTE, "stop()"))));
            assertEquals("Stopped", routeState(app, auth));
        }
    }

    @Test
    void aTakenManagementPortEndsTheStartNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             AppProcess app = new AppProcess(Map.of("EXTRACTOR_TYPE", "none", "TOOLS", "none",
                     "MANAGEMENT_PORT", Integer.toString(taken.getLocalPort())))) {
            assertEquals(2, app.waitFor(Duration.ofSeconds(60)), () -> String.join("\n", app.lines()));
            List<String> sentences = app.lines().stream().filter(l -> l.startsWith("peer-observer: cannot start: ")).toList();
            assertEquals(1, sentences.size(), () -> String.join("\n", app.lines()));
            assertTrue(sentences.get(0).contains("MANAGEMENT_PORT " + taken.getLocalPort()), sentences.get(0));
            assertEquals(0, app.count(l -> l.startsWith("\tat ")), "no stack trace");
        }
    }
}
