package org.peerobserver.tool.websocket;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.util.JsonFormat;
import org.junit.jupiter.api.Test;
import org.peerobserver.event.EventKind;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.AppProcess;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.CapturedLog;
import org.peerobserver.testing.NatsServer;
import org.peerobserver.testing.RawHttp;
import org.peerobserver.testing.SampleCapture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The websocket tool's feed through its YAML routes, with real websocket clients (java.net.http). */
class WebsocketFeedTest extends AppTestSupport {
    static final List<Event> EVENTS = SampleCapture.events();
    static int port;
    static int managementPort;

    @Override
    protected Properties settings() {
        try {
            port = NatsServer.freePort();
            managementPort = NatsServer.freePort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // the management server on, as in production: the feed must not share its router
        return props("tools", "websocket", "websocket.address", "127.0.0.1:" + port, "camel.component.bus.configuration.node", "test-node",
                "websocket.allowed-origins", "https://dashboard.example",
                "camel.management.enabled", "true", "camel.management.port", Integer.toString(managementPort),
                "camel.metrics.enabled", "true", "camel.management.metrics-enabled", "true");
    }

    WebsocketFeed feed() {
        return context.getRegistry().lookupByNameAndType("websocketFeed", WebsocketFeed.class);
    }

    void publishAll() {
        EVENTS.forEach(e -> template.sendBody("bus:publish", e));
    }

    @Test
    void everyEventArrivesAsTheDocumentedJson() throws Exception {
        publishAll();  // nobody listening yet: nothing fails (CAMEL-24789 is about this case in the camel producer)
        FeedSocket client = FeedSocket.connect(port, "");
        await().until(() -> feed().getClients() == 1);
        publishAll();
        await().atMost(20, TimeUnit.SECONDS).until(() -> client.frames.size() >= EVENTS.size());
        assertEquals(EVENTS.size(), client.frames.size());
        for (int i = 0; i < EVENTS.size(); i++) {
            JsonNode frame = client.frames.get(i);
            Event expected = EVENTS.get(i);
            EventKind kind = EventKind.of(expected);
            assertEquals(kind.subject(), frame.get("subject").asText());
            assertEquals(kind.kind(), frame.get("kind").asText());
            assertEquals("test-node", frame.get("node").asText());
            assertEquals(expected.getTimestamp(), frame.get("timestamp").asLong());
            Event.Builder parsed = Event.newBuilder();
            JsonFormat.parser().merge(frame.get("event").toString(), parsed);
            assertEquals(expected, parsed.build(), "frame " + i);
        }
        JsonNode version = client.frames.get(3).get("event").get("ebpf_extractor").get("message");
        assertEquals("203.0.113.7:8333", version.get("meta").get("addr").asText());
        assertEquals("OutboundFullRelay", version.get("meta").get("conn_type").asText());
    }

    @Test
    void anUpgradeOnAnyPathIsAClientAndFormatChoosesUpstreamsFrames() throws Exception {
        FeedSocket bad = FeedSocket.at(port, "/?format=serde");
        assertEquals("1008 format: 'serde' is not one of proto-json, upstream", bad.closed.get(10, TimeUnit.SECONDS));
        FeedSocket root = FeedSocket.at(port, "/");
        FeedSocket upstream = FeedSocket.at(port, "/anything/else?format=upstream&subjects=netmsg,netconn,rpc");
        await().until(() -> feed().getClients() == 2);
        publishAll();
        long upstreams = EVENTS.stream().filter(UpstreamJson::has)
                .filter(e -> List.of("netmsg", "netconn", "rpc").contains(EventKind.of(e).subject())).count();
        await().atMost(20, TimeUnit.SECONDS).until(() -> root.frames.size() >= EVENTS.size() && upstream.frames.size() >= upstreams);
        assertTrue(root.frames.stream().allMatch(f -> f.has("subject") && f.has("event")), "ours by default");
        assertEquals(upstreams, upstream.frames.size());
        for (JsonNode frame : upstream.frames) {
            assertEquals(1, frame.size(), frame.toString());
            assertTrue(frame.has("EbpfExtractor") || frame.has("RpcExtractor"), frame.toString());
        }
        assertTrue(upstream.frames.stream().anyMatch(f -> f.at("/RpcExtractor/rpc_event/PeerInfos/infos").isArray()));
        assertTrue(upstream.frames.stream().anyMatch(f -> f.at("/EbpfExtractor/ebpf_event/Message/meta/peer_id").isNumber()));
        // plain requests still get the pages
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<html"), page.body());
    }

    @Test
    void twoClientsGetWhatTheirFiltersAskFor() throws Exception {
        FeedSocket connections = FeedSocket.connect(port, "?subjects=netconn");
        FeedSocket pingsAndRpc = FeedSocket.connect(port, "?kinds=message.ping,rpc");
        await().until(() -> feed().getClients() == 2);
        publishAll();
        long wantedA = EVENTS.stream().filter(e -> EventKind.of(e).subject().equals("netconn")).count();
        long wantedB = EVENTS.stream().map(EventKind::of)
                .filter(k -> k.kind().equals("message.ping") || k.kind().startsWith("rpc.")).count();
        await().atMost(20, TimeUnit.SECONDS).until(() -> connections.frames.size() >= wantedA && pingsAndRpc.frames.size() >= wantedB);
        // and nothing else came after them
        publishAll();
        await().atMost(20, TimeUnit.SECONDS).until(() -> connections.frames.size() >= 2 * wantedA && pingsAndRpc.frames.size() >= 2 * wantedB);
        assertEquals(2 * wantedA, connections.frames.size());
        assertEquals(2 * wantedB, pingsAndRpc.frames.size());
        assertTrue(connections.frames.stream().allMatch(f -> f.get("subject").asText().equals("netconn")));
        assertTrue(pingsAndRpc.frames.stream().map(f -> f.get("kind").asText())
                .allMatch(k -> k.equals("message.ping") || k.startsWith("rpc.")));
        assertTrue(pingsAndRpc.frames.stream().anyMatch(f -> f.get("kind").asText().equals("rpc.peer_infos")));
    }

    @Test
    void aStalledClientMissesFramesWithoutHoldingBackTheOtherAndIsToldSo() throws Exception {
        FeedSocket stalled = FeedSocket.connect(port, "", true);
        FeedSocket reader = FeedSocket.connect(port, "");
        await().until(() -> feed().getClients() == 2);
        // until the stalled client's socket buffers and its queue are full; how much that takes is the kernel's
        int rounds = 0;
        while (feed().getFramesMissed() == 0 && rounds < 2000) {
            publishAll();
            rounds++;
            int published = rounds * EVENTS.size();
            await().atMost(30, TimeUnit.SECONDS).until(() -> reader.frames.size() >= published);
        }
        assertTrue(feed().getFramesMissed() > 0, "the stalled client never missed a frame");
        assertEquals((long) rounds * EVENTS.size(), reader.frames.size(), "the reading client got every frame");
        assertTrue(reader.frames.stream().noneMatch(f -> f.has("missed")));

        stalled.resume();
        publishAll();  // the notice goes out before the next frame
        await().atMost(30, TimeUnit.SECONDS).until(() -> stalled.frames.stream().anyMatch(f -> f.has("missed")));
        JsonNode notice = stalled.frames.stream().filter(f -> f.has("missed")).findFirst().orElseThrow();
        assertTrue(notice.get("missed").asLong() > 0);
        long published = (long) (rounds + 1) * EVENTS.size();
        await().atMost(30, TimeUnit.SECONDS).until(() -> stalled.events().size() + feed().getFramesMissed() == published);
        int at = stalled.frames.indexOf(notice);
        assertTrue(at > 0 && at < stalled.frames.size() - 1, "the notice sits where the gap is");
    }

    @Test
    void badFiltersAndForeignOriginsAreRefusedWithAReason() throws Exception {
        FeedSocket bad = FeedSocket.connect(port, "?kinds=message%20ping");
        assertEquals("1008 kinds: 'message ping' is not a subject or kind", bad.closed.get(10, TimeUnit.SECONDS));

        ExecutionException refused = assertThrows(ExecutionException.class, () -> HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Origin", "https://elsewhere.example")
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/events"), new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS));
        assertEquals(403, assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse().statusCode());

        FeedSocket allowed = FeedSocket.connect(port, "", false, "https://dashboard.example");
        await().until(() -> feed().getClients() == 1);
        publishAll();
        await().atMost(20, TimeUnit.SECONDS).until(() -> allowed.frames.size() == EVENTS.size());
        assertEquals(1, feed().getClientsRefused());
        assertEquals(1, context.getComponent("vertx-websocket", WebsocketComponent.class).getRefusedOrigins());
        String metrics = AppProcess.get(managementPort, "/observe/metrics").body();
        for (String reason : List.of("bad_filter", "origin")) {
            assertTrue(metrics.contains("peerobserver_websocket_refused_total{reason=\"" + reason + "\"} 1.0"), metrics);
        }
        assertTrue(metrics.contains("peerobserver_websocket_refused_total{reason=\"too_many_clients\"} 0.0"), metrics);
    }

    @Test
    void withAListOnlyListedOriginsMayConnectWhateverTheHostHeaderSays() throws Exception {
        // DNS rebinding: a stranger's page, its name now pointing at 127.0.0.1, sends its name as Host and Origin
        try (Socket rebound = RawHttp.websocket(port, "evil.example:" + port, "http://evil.example:" + port);
                Socket loopback = RawHttp.websocket(port, "127.0.0.1:" + port, "http://127.0.0.1:" + port);
                Socket listed = RawHttp.websocket(port, "127.0.0.1:" + port, "https://Dashboard.example/")) {
            assertEquals(403, RawHttp.status(rebound, Duration.ofSeconds(5)));
            assertEquals(403, RawHttp.status(loopback, Duration.ofSeconds(5)), "the list is the only rule once it is set");
            assertEquals(101, RawHttp.status(listed, Duration.ofSeconds(5)));
        }
        assertEquals(2, context.getComponent("vertx-websocket", WebsocketComponent.class).getRefusedOrigins());
    }

    @Test
    void aThousandClientsComingAndGoingLogNoWarning() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(10);
        try (CapturedLog log = new CapturedLog("")) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int way = i % 3;
                done.add(clients.submit(() -> {
                    try (Socket s = RawHttp.websocket(port, "127.0.0.1:" + port, null)) {
                        int status = RawHttp.status(s, Duration.ofSeconds(10));
                        if (way == 0) {
                            // a close frame (masked, as a client's must be), then the socket closes
                            s.getOutputStream().write(new byte[] {(byte) 0x88, (byte) 0x80, 1, 2, 3, 4});
                        } else if (way == 1) {
                            // reset: no close frame, no FIN
                            s.setSoLinger(true, 0);
                        }
                        return status;
                    }
                }));
            }
            for (Future<Integer> f : done) {
                assertEquals(101, f.get(60, TimeUnit.SECONDS));
            }
            await().atMost(20, TimeUnit.SECONDS).until(() -> feed().getClients() == 0);
            List<String> warnings = log.lines().stream().filter(l -> l.startsWith("WARN") || l.startsWith("ERROR")).toList();
            assertEquals(0, warnings.size(), () -> warnings.size() + " lines, such as " + warnings.get(0));
            assertFalse(log.sawThrowable());
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void theFeedAndTheManagementServerDoNotShareARouter() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        assertEquals(200, get(http, managementPort, "/observe/health"));
        assertEquals(404, get(http, port, "/observe/health"));
        assertEquals(404, get(http, managementPort, "/events"));
        assertEquals(404, get(http, port, "/events"));  // a plain GET on the feed: there is no such page
        assertEquals(200, get(http, port, "/"));
    }

    static int get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
