package org.peerobserver.component.rpc;

import java.io.IOException;
import java.util.List;
import java.util.Properties;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.peerobserver.event.EventHeaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The shipped route and application.properties: EXTRACTOR_TYPE=rpc puts the node's answers on the bus. */
class RpcExtractorRouteTest extends CamelMainTestSupport {
    // static: the test support configures the context before a constructor body would run
    private static FakeBitcoind node;

    @BeforeAll
    static void startNode() throws IOException {
        node = new FakeBitcoind("carol:pw").withCoreFixtures(26);
        node.result("getnetworkinfo", "{\"version\":260000,\"subversion\":\"/Satoshi:26.0.0/\",\"connections\":14}");
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        Properties p = new Properties();
        p.put("extractors", "rpc");
        p.put("tools", "none");
        p.put("camel.management.enabled", "false");
        p.put("camel.metrics.enabled", "false");
        p.put("camel.main.jmx-enabled", "false");
        p.put("camel.component.bitcoin-rpc.configuration.port", String.valueOf(node.port()));
        p.put("camel.component.bitcoin-rpc.configuration.user", "carol");
        p.put("camel.component.bitcoin-rpc.configuration.password", "pw");
        p.put("rpc.query-interval", "1");
        p.put("rpc.getmemoryinfo", "false");
        p.put("rpc.extra-methods", "getnetworkinfo");
        configuration.withUseOverridePropertiesWithPropertiesComponent(p);
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:subscribe").routeId("test-subscriber").to("mock:bus");
            }
        };
    }

    @Test
    void theFirstRoundReachesTheBusRightAfterStart() throws Exception {
        MockEndpoint bus = getMockEndpoint("mock:bus");
        bus.expectedMinimumMessageCount(6);
        bus.assertIsSatisfied(3000);
        assertEquals(List.of("rpc.peer_infos", "rpc.mempool_info", "rpc.uptime", "rpc.net_totals", "rpc.addrman_info",
                "ext.rpc_result"), bus.getReceivedExchanges().subList(0, 6).stream()
                .map(e -> e.getIn().getHeader(EventHeaders.KIND, String.class)).toList());
        assertNull(context.getRoute("extractor-replay"));
        assertFalse(context.getRoute("extractor-rpc").getEndpoint().getEndpointUri().contains("pw"));
        assertEquals("127.0.0.1", context.getComponent("bitcoin-rpc", BitcoinRpcComponent.class).getConfiguration().getHost());
    }
}
