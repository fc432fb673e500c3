package org.peerobserver.component.ebpf;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.peerobserver.testing.NatsServer;

/**
 * Benchmark, not a test (no assertions on speed): the target fires small net:inbound_message events
 * (or net:inbound_connection with -Debpf.bench.tracepoint) at rising rates; prints fired, received
 * end to end through a real nats-server (or, with -Debpf.bench.bus=embedded, the in-JVM bus: the
 * consumer's own decoding rate), dropped, and the rate at which events arrived.
 * <pre>mvn verify -Dit.test=EbpfBenchIT [-Debpf.bench.tracepoint=net:inbound_connection]
 *     [-Debpf.bench.bus=embedded]</pre>
 */
class EbpfBenchIT extends EbpfTestSupport {
    private static final long[] RATES = {100_000, 250_000, 500_000, 1_000_000, 0};
    private static NatsServer nats;

    @BeforeAll
    static void startNats() throws Exception {
        nats = new NatsServer();
    }

    @AfterAll
    static void stopNats() throws Exception {
        nats.close();
    }

    @Override
    protected Properties extraSettings() {
        Properties p = props("ebpf.ring-buffer-size", Integer.toString(64 << 20), "camel.component.bus.queue-size", "1000000");
        if (!"embedded".equals(System.getProperty("ebpf.bench.bus"))) {
            p.putAll(props("camel.component.bus.type", "nats", "camel.component.bus.servers", nats.url()));
        }
        return p;
    }

    @Override
    protected boolean keepEvents() {
        return false;
    }

    @Test
    void risingRates() throws Exception {
        String tracepoint = System.getProperty("ebpf.bench.tracepoint", "net:inbound_message");
        System.out.printf("%-12s %10s %10s %10s %12s%n", "rate/s", "fired", "received", "dropped", "arrived/s");
        for (long rate : RATES) {
            COUNT.set(0);
            long dropsBefore = ebpfConsumer().getDropsTotal();
            long count = rate == 0 ? 2_000_000 : rate * 2;
            long fired;
            try (UsdtTarget target = UsdtTarget.start(tracepoint, count, rate, "-s", "8")) {
                Files.writeString(PID_FILE, target.pid() + "\n");
                fired = target.awaitFired();
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> COUNT.get() + ebpfConsumer().getDropsTotal() - dropsBefore >= fired);
            Thread.sleep(500);
            long received = COUNT.get();
            double seconds = (lastNanos - firstNanos) / 1e9;
            System.out.printf("%-12s %10d %10d %10d %12.0f%n", rate == 0 ? "max" : Long.toString(rate), fired, received,
                    ebpfConsumer().getDropsTotal() - dropsBefore, seconds > 0 ? received / seconds : 0);
        }
    }
}
