package org.peerobserver.tool.websocket;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.peerobserver.testing.AppProcess;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.CapturedLog;
import org.peerobserver.testing.NatsServer;
import org.peerobserver.testing.RawHttp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With no WEBSOCKET_ALLOWED_ORIGINS: pages of loopback hosts and of the hosts the operator named may use the
 * feed, no others, whatever Host header they send; and a websocket client outlives the HTTP idle timeout.
 */
class WebsocketOriginsTest extends AppTestSupport {
    static int port;

    @Override
    protected Properties settings() {
        try {
            port = NatsServer.freePort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return props("tools", "websocket", "websocket.address", "127.0.0.1:" + port,
                "websocket.allowed-hosts", "Dash.example, [fd00::1]", "http.idle-timeout", "1");
    }

    private static int handshake(String host, String origin) throws IOException {
        try (Socket s = RawHttp.websocket(port, host, origin)) {
            return RawHttp.status(s, Duration.ofSeconds(5));
        }
    }

    @Test
    void pagesOfLoopbackAndNamedHostsMayConnectOthersMayNot() throws Exception {
        String self = "127.0.0.1:" + port;
        assertEquals(101, handshake(self, null), "a program sends no Origin");
        for (String origin : List.of("http://" + self, "http://localhost:8080", "http://[::1]:" + port, "https://dash.example",
                "http://DASH.example:3000", "http://[fd00::1]:47482")) {
            assertEquals(101, handshake(self, origin), origin);
        }
        // DNS rebinding: the stranger's name as Host and Origin
        assertEquals(403, handshake("evil.example:" + port, "http://evil.example:" + port));
        for (String origin : List.of("null", "http://127.0.0.1.evil.example", "http://dash.example.evil.example", "%%%")) {
            assertEquals(403, handshake(self, origin), origin);
        }
        assertEquals(5, context.getComponent("vertx-websocket", WebsocketComponent.class).getRefusedOrigins());
    }

    @Test
    void theGrafanaLinkIsAnHttpUrlOrNothing() throws Exception {
        assertEquals("{\"grafana\":null}", AppProcess.get(port, "/links.json").body());
        WebsocketComponent component = new WebsocketComponent();
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> component.setGrafanaUrl("javascript:alert(1)"));
        assertEquals("WEBSOCKET_GRAFANA_URL: 'javascript:alert(1)' is not an http or https URL", bad.getMessage());
        component.setGrafanaUrl("https://grafana.example:3000/d/x");
    }

    @Test
    void aRefusedOriginIsLoggedOnceAMinuteAsPlainText() throws Exception {
        try (CapturedLog log = new CapturedLog(WebsocketComponent.class)) {
            // Netty refuses C0 controls in a header (400); an 8-bit CSI and 4 KB pass
            assertEquals(403, handshake("x", "http://evil\u009b31m" + "a".repeat(4000) + ".example"));
            assertEquals(403, handshake("x", "http://another.example"));
            List<String> lines = log.lines("WARN");
            assertEquals(1, lines.size(), lines::toString);
            assertTrue(lines.get(0).contains("http://evil\\x9b31maaa"), lines.get(0));
            assertFalse(lines.get(0).contains("\u009b"));
            assertTrue(lines.get(0).length() < 600, lines.get(0));
        }
    }

    @Test
    void aWebsocketClientOutlivesTheIdleTimeout() throws Exception {
        FeedSocket client = FeedSocket.connect(port, "");
        WebsocketFeed feed = context.getRegistry().lookupByNameAndType("websocketFeed", WebsocketFeed.class);
        await().until(() -> feed.getClients() == 1);
        Thread.sleep(2500);
        WebsocketFeedTest.EVENTS.forEach(e -> template.sendBody("bus:publish", e));
        await().atMost(20, TimeUnit.SECONDS).until(() -> client.frames.size() == WebsocketFeedTest.EVENTS.size());
        assertFalse(client.closed.isDone());
    }
}
