package org.peerobserver.tool.logger;

import java.util.List;
import java.util.Properties;

import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.LogDefinition;
import org.junit.jupiter.api.Test;
import org.peerobserver.event.EventHeaders;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.SampleCapture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The logger's YAML route on the in-JVM bus, with upstream's filter names. */
class LoggerRouteTest extends AppTestSupport {

    @Override
    protected Properties settings() {
        return props("tools", "logger", "logger.filter", "messages,rpc", "camel.component.bus.node", "test-node");
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Test
    void logsOneLinePerSelectedEvent() throws Exception {
        AdviceWith.adviceWith(context, "tool-logger", a -> a.weaveByType(LogDefinition.class).after().to("mock:lines"));
        context.start();
        List<Event> events = SampleCapture.events();
        long selected = events.stream().filter(e -> e.hasRpcExtractor()
                || (e.hasEbpfExtractor() && e.getEbpfExtractor().hasMessage())).count();
        MockEndpoint lines = getMockEndpoint("mock:lines");
        lines.expectedMessageCount((int) selected);
        lines.setAssertPeriod(300);  // and no more
        events.forEach(e -> template.sendBody("bus:publish", e));
        lines.assertIsSatisfied();

        List<String> bodies = lines.getExchanges().stream().map(x -> x.getIn().getBody(String.class)).toList();
        assertTrue(bodies.stream().allMatch(l -> l.startsWith("message.") || l.startsWith("rpc.")), bodies.get(0));
        assertEquals("rpc.uptime node=test-node at=2025-11-22T00:00:00Z uptime=86400", bodies.get(0));
        assertEquals("netmsg", lines.getExchanges().get(2).getIn().getHeader(EventHeaders.SUBJECT));
        assertTrue(bodies.get(2).startsWith("message.version node=test-node at=2025-11-22T00:00:00Z meta={peer_id=0 "
                + "addr=203.0.113.7:8333 conn_type=OutboundFullRelay command=version inbound=false size=102} "
                + "version={version=70016 services=1033"), bodies.get(2));
    }

    @Test
    void unknownFilterNameIsRefusedWithTheSetting() {
        EventLogger logger = new EventLogger();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> logger.setFilter("messages,blocks"));
        assertEquals("LOGGER_FILTER has an unknown name 'blocks'; choose from messages, connections, addrman, mempool, "
                + "validation, rpc, p2p-extractor, log-extractor, ext, or leave it empty for everything", e.getMessage());
    }
}
