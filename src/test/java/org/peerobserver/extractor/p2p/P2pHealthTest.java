package org.peerobserver.extractor.p2p;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.health.ConsumerHealthCheck;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.peerobserver.bitcoin.BitcoinNetwork;

/**
 * The listener's health tells whether it listens: UP while it does; DOWN with the reason while its socket is gone
 * and the port is taken by someone else; UP again once it could listen again, and nodes get in.
 */
class P2pHealthTest extends CamelTestSupport {
    final int port = BitcoinP2pListenTest.freePort();

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("bitcoin-p2p:listen?port=" + port + "&network=regtest&reconnectDelay=1000&maxReconnectDelay=1000")
                        .routeId("listen").to("mock:events");
            }
        };
    }

    private BitcoinP2pConsumer listener() {
        return (BitcoinP2pConsumer) context.getRoute("listen").getConsumer();
    }

    /** The consumer's check as Camel's consumers repository reports it (what /observe/health shows). */
    private HealthCheck.Result health() {
        ConsumerHealthCheck check = new ConsumerHealthCheck(context.getRoute("listen"), "consumer:listen");
        check.setCamelContext(context);
        return check.call();
    }

    /** The port, once the kernel lets go of it (a moment now and then after the close). */
    private ServerSocket squat() throws Exception {
        for (int tries = 0; ; tries++) {
            try {
                return new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
            } catch (BindException notYet) {
                if (tries == 20) {
                    throw notYet;
                }
                Thread.sleep(20);
            }
        }
    }

    @Test
    void downWithTheReasonWhileNotListeningAndUpAgainWhenItListens() throws Exception {
        assertEquals(HealthCheck.State.UP, health().getState(), health().toString());

        // the listening socket goes away and another process takes the port (within the second before the listener retries)
        listener().serverChannel().close().sync();
        try (ServerSocket squatter = squat()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> health().getMessage().orElse("").contains("cannot listen"));
            HealthCheck.Result down = health();
            assertEquals(HealthCheck.State.DOWN, down.getState());
            assertTrue(down.getMessage().orElseThrow().contains("127.0.0.1:" + port), down.getMessage().orElseThrow());
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> health().getState() == HealthCheck.State.UP);
        try (FakeNode node = FakeNode.connect(port, BitcoinNetwork.REGTEST)) {
            node.handshake();
            node.expect("ping");
        }
    }
}
