package org.peerobserver.extractor.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.peerobserver.testing.AppTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.event.EventHeaders;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.CompactBlockReconstructed;
import org.peerobserver.proto.log.LogDebugCategory;
import org.peerobserver.proto.log.log;

/** The bundled route: a debug.log in, events on the bus out, as the application is configured. */
class LogExtractorRouteTest extends AppTestSupport {
    private static final String HASH = LogMatchersTest.HASH;

    @TempDir
    static Path dir;

    @Override
    protected Properties settings() {
        return props("extractors", "log", "log.file", dir.resolve("debug.log").toString());
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addRoutesBuilder(Subscriber.class);
    }

    /** What a tool would see. */
    public static class Subscriber extends RouteBuilder {
        @Override
        public void configure() {
            from("bus:subscribe?subjects=log-extractor,ext.log").routeId("test-subscriber").to("mock:events");
        }
    }

    @Test
    void linesBecomeUpstreamLogEventsAndExtLogEvents() throws Exception {
        // the file does not exist when the route starts: it is then read from its start
        MockEndpoint events = getMockEndpoint("mock:events");
        events.expectedMessageCount(4);
        LogFollowerTest.append(dir.resolve("debug.log"),
                "2025-11-20T10:00:00.250000Z [msghand] [validation] BlockConnected: block hash=" + HASH + " block height=870001\n"
                + "2025-11-20T10:00:01Z [cmpctblock] Successfully reconstructed block " + HASH
                + " with 1 txn prefilled, 3986 txn from mempool (incl at least 9 from extra pool) and 6 txn (1234 bytes) requested\n"
                + "not a log line\n");
        events.assertIsSatisfied(10_000);
        List<Exchange> got = events.getReceivedExchanges();

        log connected = body(got.get(0)).getLogExtractor();
        assertEquals("log-extractor", got.get(0).getIn().getHeader(EventHeaders.SUBJECT));
        assertEquals("log.block_connected_log", got.get(0).getIn().getHeader(EventHeaders.KIND));
        assertFalse(got.get(0).getIn().getHeader(EventHeaders.NODE, String.class).isEmpty());
        assertEquals(1_763_632_800_250_000L, connected.getLogTimestamp());
        assertEquals(LogDebugCategory.VALIDATION, connected.getCategory());
        assertEquals(HASH, connected.getBlockConnectedLog().getBlockHash());
        assertEquals(870_001, connected.getBlockConnectedLog().getBlockHeight());

        log compactUpstream = body(got.get(1)).getLogExtractor();
        assertEquals(LogDebugCategory.CMPCTBLOCK, compactUpstream.getCategory());
        assertEquals(1_763_632_801_000_000L, compactUpstream.getLogTimestamp());
        assertEquals("log.unknown_log_message", got.get(1).getIn().getHeader(EventHeaders.KIND));

        assertEquals("ext.log", got.get(2).getIn().getHeader(EventHeaders.SUBJECT));
        assertEquals(1_763_632_801_000_000L, body(got.get(2)).getExtension().getLog().getLogTimestamp());
        CompactBlockReconstructed compact = body(got.get(2)).getExtension().getLog().getCompactBlockReconstructed();
        assertEquals(HASH, compact.getBlockHash());
        assertEquals(1, compact.getPrefilled());
        assertEquals(3986, compact.getFromMempool());
        assertEquals(9, compact.getFromExtraPool());
        assertEquals(6, compact.getRequested());
        assertEquals(1234, compact.getRequestedBytes());

        log unparsed = body(got.get(3)).getLogExtractor();
        assertEquals(0, unparsed.getLogTimestamp());
        assertEquals("", unparsed.getUnknownLogMessage().getRawMessage());

        BitcoinLogConsumer consumer = (BitcoinLogConsumer) context.getRoute("extractor-log").getConsumer();
        assertEquals(3, consumer.getLinesRead());
        assertEquals(1, consumer.getLinesMatched());
        assertEquals(0, consumer.getLinesTooLong());
    }

    private static Event body(Exchange exchange) {
        return exchange.getIn().getBody(Event.class);
    }
}
