package org.peerobserver.extractor.p2p;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.Test;
import org.peerobserver.bitcoin.BitcoinNetwork;
import org.peerobserver.bitcoin.PayloadDecoder;
import org.peerobserver.bitcoin.PayloadEncoder;
import org.peerobserver.event.EventHeaders;
import org.peerobserver.proto.event.Event;

/** The shipped route and settings: EXTRACTOR_TYPE=p2p listens, publishes on the bus, and shows its counters over JMX. */
class P2pExtractorRouteTest extends CamelMainTestSupport {
    static final int PORT = BitcoinP2pListenTest.freePort();

    @Override
    public void configureContext(CamelContextConfiguration c) {
        super.configureContext(c);
        Properties p = new Properties();
        p.put("extractors", "p2p");
        p.put("tools", "none");
        p.put("camel.management.enabled", "false");
        p.put("camel.metrics.enabled", "false");
        p.put("camel.main.jmx-enabled", "true");
        p.put("camel.component.bitcoin-p2p.configuration.port", String.valueOf(PORT));
        p.put("camel.component.bitcoin-p2p.configuration.network", "regtest");
        p.put("camel.component.bitcoin-p2p.configuration.ping-interval", "1s");
        p.put("camel.component.bitcoin-p2p.configuration.feefilter-announcements", "false");
        c.withUseOverridePropertiesWithPropertiesComponent(p);
    }

    @Override
    protected boolean useJmx() {
        return true;
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addRoutesBuilder(Subscriber.class);
    }

    /** What a tool would see. */
    public static class Subscriber extends RouteBuilder {
        @Override
        public void configure() {
            from("bus:subscribe?subjects=p2p-extractor").routeId("test-subscriber").to("mock:events");
        }
    }

    @Test
    void aNodeDialsInAndItsEventsReachTheBus() throws Exception {
        MockEndpoint events = getMockEndpoint("mock:events");
        try (FakeNode node = FakeNode.connect(PORT, BitcoinNetwork.REGTEST)) {
            node.handshake();
            long nonce = PayloadDecoder.nonce(node.expect("ping").payload());
            node.send("feefilter", PayloadEncoder.feeFilter(3000)); // switched off by P2P_FEEFILTER=false
            node.send("pong", PayloadEncoder.nonce(nonce));
            await().atMost(Duration.ofSeconds(5)).until(() -> events.getReceivedCounter() >= 1);
            Thread.sleep(200);
            assertEquals(1, events.getReceivedCounter());
            var exchange = events.getReceivedExchanges().get(0);
            assertEquals("p2p.ping_duration", exchange.getIn().getHeader(EventHeaders.KIND));
            assertEquals("127.0.0.1", exchange.getIn().getHeader(EventHeaders.NODE));
            assertTrue(exchange.getIn().getBody(Event.class).getP2PExtractor().getPingDuration().getDuration() > 0);

            // the consumer's counters as JMX attributes
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            Set<ObjectName> consumers = jmx.queryNames(new ObjectName("org.apache.camel:type=consumers,*"), null);
            ObjectName p2p = consumers.stream().filter(n -> n.toString().contains("BitcoinP2pConsumer")).findFirst()
                    .orElseThrow(() -> new AssertionError("no consumer MBean among " + consumers));
            assertEquals(1, jmx.getAttribute(p2p, "ConnectedPeers"));
            @SuppressWarnings("unchecked")
            Map<String, Long> in = (Map<String, Long>) jmx.getAttribute(p2p, "MessagesIn");
            assertEquals(1L, in.get("feefilter"));
            @SuppressWarnings("unchecked")
            Map<String, Long> out = (Map<String, Long>) jmx.getAttribute(p2p, "MessagesOut");
            assertEquals(1L, out.get("verack"));
            assertEquals(0L, jmx.getAttribute(p2p, "DropsTotal"));
        }
        assertFalse(context.getRoute("extractor-p2p").getEndpoint().getEndpointUri().isEmpty());
    }
}
