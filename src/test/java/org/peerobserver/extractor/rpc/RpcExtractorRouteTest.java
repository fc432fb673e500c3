package org.peerobserver.extractor.rpc;

import java.io.IOException;
import java.util.List;
import java.util.Properties;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.peerobserver.testing.AppTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.peerobserver.event.EventHeaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The shipped route and application.properties: EXTRACTOR_TYPE=rpc puts the node's answers on the bus. */
class RpcExtractorRouteTest extends AppTestSupport {
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
    protected Properties settings() {
        return props("extractors", "rpc",
                "camel.component.bitcoin-rpc.configuration.port", String.valueOf(node.port()),
                "camel.component.bitcoin-rpc.configuration.user", "carol",
                "camel.component.bitcoin-rpc.configuration.password", "pw",
                "rpc.delay", "1s", "camel.component.bitcoin-rpc.configuration.memory-info", "false", "camel.component.bitcoin-rpc.configuration.extra-methods", "getnetworkinfo");
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
