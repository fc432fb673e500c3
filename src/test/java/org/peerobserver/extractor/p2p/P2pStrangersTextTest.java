package org.peerobserver.extractor.p2p;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.bitcoinj.core.Context;
import org.bitcoinj.core.NetworkParameters;
import org.bitcoinj.core.Peer;
import org.bitcoinj.core.PeerAddress;
import org.bitcoinj.core.VersionMessage;
import org.bitcoinj.net.NioClientManager;
import org.bitcoinj.params.RegTestParams;
import org.junit.jupiter.api.Test;
import org.peerobserver.support.SafeTextConverter;
import org.peerobserver.testing.HostileText;
import org.peerobserver.testing.NatsServer;
import org.peerobserver.testing.RenderedLog;

/**
 * bitcoinj peers whose user agents are a forged log line, a CR, ANSI escapes and a NUL complete the
 * handshake with the P2P listener, which names each peer and its user agent in a log line; one with a
 * 4 KB user agent is refused. What the application's own log layout renders of it (bitcoinj's own lines
 * left out).
 */
class P2pStrangersTextTest extends CamelTestSupport {
    private int port;

    @Override
    protected RouteBuilder createRouteBuilder() throws Exception {
        port = NatsServer.freePort();
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("bitcoin-p2p:listen?port=" + port + "&network=regtest&pingInterval=0").routeId("listen").to("mock:events");
            }
        };
    }

    @Test
    void userAgentsReachTheLogEscaped() throws Exception {
        NetworkParameters params = RegTestParams.get();
        Context.propagate(new Context());
        NioClientManager manager = new NioClientManager();
        manager.startAsync().awaitRunning();
        try (RenderedLog log = new RenderedLog(name -> !name.startsWith("org.bitcoinj"))) {
            List<String> agents = List.of(HostileText.NEWLINE, HostileText.CR, HostileText.ANSI, HostileText.NUL);
            for (String agent : agents) {
                Peer peer = peer(params, agent);
                int before = connected(log).size();
                manager.openConnection(new InetSocketAddress("127.0.0.1", port), peer);
                peer.getVersionHandshakeFuture().get(10, TimeUnit.SECONDS);
                // the listener logs the peer once it has the peer's verack
                await().atMost(10, TimeUnit.SECONDS).until(() -> connected(log).size() > before);
                peer.close();
            }
            // a version message over the listener's limit is refused before anything of it is logged
            manager.openConnection(new InetSocketAddress("127.0.0.1", port), peer(params, HostileText.LONG));
            await().atMost(10, TimeUnit.SECONDS).until(() -> log.lines().stream().anyMatch(l -> l.contains("[oversize]")));
            HostileText.assertSafe(log, SafeTextConverter.DEFAULT_MAX + 100);
            List<String> connected = connected(log);
            for (String escaped : HostileText.ESCAPED.subList(0, agents.size())) {
                assertTrue(connected.stream().anyMatch(l -> l.contains(escaped)), escaped + " not in\n" + String.join("\n", connected));
            }
        } finally {
            manager.stopAsync().awaitTerminated(10, TimeUnit.SECONDS);
        }
    }

    private Peer peer(NetworkParameters params, String agent) {
        VersionMessage version = new VersionMessage(params, 0);
        version.subVer = agent;
        return new Peer(params, version, PeerAddress.simple(InetAddress.getLoopbackAddress(), port), null);
    }

    private static List<String> connected(RenderedLog log) {
        return log.lines().stream().filter(l -> l.contains("connected over P2P")).toList();
    }
}
