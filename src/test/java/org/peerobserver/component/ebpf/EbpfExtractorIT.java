package org.peerobserver.component.ebpf;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.peerobserver.event.EventHeaders;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.AppTestSupport;

/**
 * The ebpf extractor route on the running kernel: real BPF programs attached to the USDT test
 * target, events taken from the bus as a tool would.
 */
class EbpfExtractorIT extends AppTestSupport {
    static final Collection<Event> RECEIVED = new ConcurrentLinkedQueue<>();
    static final Collection<String> SUBJECTS = new ConcurrentLinkedQueue<>();

    private static final Path PID_FILE = Path.of("target/ebpf-it.pid").toAbsolutePath();

    @BeforeEach
    void subscribe() throws Exception {
        UsdtTarget.assumeAvailable();
        RECEIVED.clear();
        SUBJECTS.clear();
        context.addRoutes(new Subscriber());
    }

    @Override
    protected Properties settings() {
        return props("extractors", "ebpf", "ebpf.bitcoind-path", UsdtTarget.BINARY.toString(),
                "ebpf.bitcoind-pid-file", PID_FILE.toString(), "ebpf.addrman", "true", "ebpf.fibre", "true",
                "ebpf.reattach-interval", "100", "camel.main.jmx-enabled", "false");
    }

    /** What a tool would see: every event, its timestamp cleared for comparison. */
    public static class Subscriber extends RouteBuilder {
        @Override
        public void configure() {
            from("bus:subscribe").routeId("test-subscriber").process(e -> {
                SUBJECTS.add(e.getIn().getHeader(EventHeaders.SUBJECT, String.class));
                RECEIVED.add(e.getIn().getBody(Event.class).toBuilder().setTimestamp(0).build());
            });
        }
    }

    @Test
    void everyTracepointArrivesWithExactlyTheFiredValues() throws Exception {
        int count = 4;   // four message size classes, odd and even (truncated) strings
        try (UsdtTarget target = UsdtTarget.start("all", count, 0)) {
            Files.writeString(PID_FILE, target.pid() + "\n");
            long fired = target.awaitFired();
            assertEquals((long) count * Tracepoint.values().length, fired);
            await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVED.size() >= fired);
        }
        List<Executable> checks = new ArrayList<>();
        for (Tracepoint t : Tracepoint.values()) {
            for (int i = 0; i < count; i++) {
                Event expected = FiredValues.expected(t, i);
                String what = t + " #" + i;
                checks.add(() -> assertTrue(RECEIVED.contains(expected), what + " not received as " + expected));
            }
        }
        assertAll(checks);
        assertEquals((long) count * Tracepoint.values().length, RECEIVED.size());
        assertTrue(SUBJECTS.containsAll(List.of("netmsg", "netconn", "mempool", "validation", "addrman", "ext.fibre",
                "ext.utxocache_flush")), SUBJECTS::toString);
    }

    @Test
    void reattachesWhenTheTargetRestarts() throws Exception {
        BitcoinEbpfConsumer consumer = (BitcoinEbpfConsumer) context.getRoute("extractor-ebpf").getConsumer();
        try (UsdtTarget first = UsdtTarget.start("mempool:added", 3, 0)) {
            Files.writeString(PID_FILE, first.pid() + "\n");
            assertEquals(3, first.awaitFired());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> RECEIVED.size() == 3);
        try (UsdtTarget second = UsdtTarget.start("mempool:added", 5, 0)) {
            Files.writeString(PID_FILE, second.pid() + "\n");
            assertEquals(5, second.awaitFired());
            assertEquals(second.pid(), consumer.getAttachedPid());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> RECEIVED.size() == 8);
        assertTrue(RECEIVED.contains(FiredValues.expected(Tracepoint.MEMPOOL_ADDED, 4)));
    }
}
