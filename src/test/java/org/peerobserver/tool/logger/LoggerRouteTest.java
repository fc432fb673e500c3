package org.peerobserver.tool.logger;

import java.util.List;
import java.util.Properties;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.CapturedLog;
import org.peerobserver.testing.SampleCapture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The logger's YAML route on the in-JVM bus, with upstream's filter names. */
class LoggerRouteTest extends AppTestSupport {

    @Override
    protected Properties settings() {
        return props("tools", "logger", "logger.filter", "messages,rpc", "camel.component.bus.configuration.node", "test-node");
    }

    @Test
    void logsOneLinePerSelectedEvent() throws Exception {
        List<Event> events = SampleCapture.events();
        long selected = events.stream().filter(e -> e.hasRpcExtractor()
                || (e.hasEbpfExtractor() && e.getEbpfExtractor().hasMessage())).count();
        try (CapturedLog log = new CapturedLog("tool-logger")) {
            events.forEach(e -> template.sendBody("bus:publish", e));
            await().atMost(5, TimeUnit.SECONDS).until(() -> log.lines().size() >= selected);
            Thread.sleep(300);  // and no more
            List<String> lines = log.lines();
            assertEquals(selected, lines.size());
            assertTrue(lines.stream().allMatch(l -> l.startsWith("INFO message.") || l.startsWith("INFO rpc.")), lines.get(0));
            assertEquals("INFO rpc.uptime node=test-node at=2025-11-22T00:00:00Z uptime=86400", lines.get(0));
            assertTrue(lines.get(2).startsWith("INFO message.version node=test-node at=2025-11-22T00:00:00Z meta={peer_id=0 "
                    + "addr=203.0.113.7:8333 conn_type=OutboundFullRelay command=version inbound=false size=102} "
                    + "version={version=70016 services=1033"), lines.get(2));
        }
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
