package org.peerobserver.extractor.ebpf;

import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.peerobserver.bus.BusComponent;
import org.peerobserver.testing.NatsServer;

/**
 * Benchmark, not a test (no assertions on speed). The target fires small net:inbound_message events
 * (or the tracepoint of -Debpf.bench.tracepoint) at rising rates, after an unreported warm-up. Two
 * measurements, chosen by -Debpf.bench.bus:
 * <ul>
 * <li>{@code nats} (default): end to end into a real nats-server, counted by a plain NATS subscriber
 * on {@code >}, as a tool in another process would see them;</li>
 * <li>{@code embedded}: the consumer alone, counted as it hands events to the route (the in-JVM bus
 * has no subscriber, so publishing costs next to nothing).</li>
 * </ul>
 * Each step prints fired, received, ring buffer drops, events the bus lost, and the rate at which
 * events arrived; the summary gives the highest rate with zero loss in every run, the lowest with
 * loss, and the peak arrival rate. The same figures go to {@code target/ebpf-bench-<bus>.json} for a
 * driver. See docs/ebpf-extractor.md ("Benchmark") for the command and its options.
 */
class EbpfBenchIT extends EbpfTestSupport {
    private static final String BUS = System.getProperty("ebpf.bench.bus", "nats");
    private static final String TRACEPOINT = System.getProperty("ebpf.bench.tracepoint", "net:inbound_message");
    /** Message type of every message ("mixed": the target's rotation, where 3 in 4 payloads do not decode). */
    private static final String MESSAGE = System.getProperty("ebpf.bench.message", "ping");
    /** Rates in events/s; 0 is "as fast as the target can". */
    private static final long[] RATES = Arrays.stream(System.getProperty("ebpf.bench.rates",
            "100000,250000,500000,1000000,0").split(",")).mapToLong(r -> Long.parseLong(r.strip())).toArray();
    private static final double SECONDS = Double.parseDouble(System.getProperty("ebpf.bench.seconds", "2"));
    /** Events fired at rate 0 (as fast as possible). */
    private static final long MAX_COUNT = Long.getLong("ebpf.bench.max-count", 2_000_000);
    private static final int REPEAT = Integer.getInteger("ebpf.bench.repeat", 1);
    private static final String RING = System.getProperty("ebpf.bench.ring-buffer-size", "");
    /** Warm-up: events at a steady rate, so the JIT has compiled the whole path before the first step. */
    private static final long WARM_UP = 1_000_000;
    private static final long WARM_UP_RATE = 250_000;
    private static NatsServer nats;
    private static Connection natsSubscriber;
    private static final AtomicLong NATS_RECEIVED = new AtomicLong();

    /** One step: {@code rate} 0 is as fast as possible. */
    record Step(long rate, long fired, double firedPerSecond, long received, long ringDrops, long busLost,
            double arrivedPerSecond, double consumerNanosPerEvent) {
        boolean zeroLoss() {
            return received == fired;
        }
    }

    @BeforeAll
    static void startNats() throws Exception {
        if (!BUS.equals("embedded")) {
            nats = new NatsServer();
            natsSubscriber = Nats.connect(nats.url());
            Dispatcher d = natsSubscriber.createDispatcher(m -> NATS_RECEIVED.incrementAndGet());
            d.subscribe(">");
            d.setPendingLimits(-1, -1);
        }
    }

    @AfterAll
    static void stopNats() throws Exception {
        if (nats != null) {
            natsSubscriber.close();
            nats.close();
        }
    }

    @Override
    protected Properties extraSettings() {
        Properties p = new Properties();
        if (!RING.isEmpty()) {
            p.put("camel.component.bitcoin-ebpf.configuration.ring-buffer-size", RING);
        }
        if (nats != null) {
            p.putAll(props("camel.component.bus.configuration.type", "nats", "camel.component.bus.configuration.servers", nats.url()));
        }
        return p;
    }

    @Override
    protected boolean subscribeToBus() {
        return false;
    }

    @Test
    void risingRates() throws Exception {
        LongSupplier received = nats != null ? NATS_RECEIVED::get : () -> ebpfConsumer().getEventsTotal();
        step(received, WARM_UP_RATE, WARM_UP);
        System.out.printf("ebpf bench: %s (%s, 8 bytes) into the %s bus%n%-10s %10s %10s %10s %10s %10s %12s %12s%n", TRACEPOINT,
                MESSAGE, BUS,
                "rate/s", "fired", "fired/s", "received", "ring drops", "bus lost", "arrived/s", "consumer ns");
        List<Step> steps = new ArrayList<>();
        for (int run = 0; run < REPEAT; run++) {
            for (long rate : RATES) {
                Step s = step(received, rate, rate == 0 ? MAX_COUNT : (long) (rate * SECONDS));
                steps.add(s);
                System.out.printf("%-10s %10d %10.0f %10d %10d %10d %12.0f %12.0f%n",
                        rate == 0 ? "max" : Long.toString(rate), s.fired, s.firedPerSecond, s.received, s.ringDrops, s.busLost, s.arrivedPerSecond, s.consumerNanosPerEvent);
            }
        }
        long zeroLoss = Arrays.stream(RATES).filter(r -> r > 0)
                .filter(r -> steps.stream().filter(s -> s.rate == r).allMatch(Step::zeroLoss)).max().orElse(0);
        long lossFrom = steps.stream().filter(s -> s.rate > 0 && !s.zeroLoss()).mapToLong(Step::rate).min().orElse(0);
        double peak = steps.stream().mapToDouble(Step::arrivedPerSecond).max().orElse(0);
        double cpu = steps.stream().filter(s -> s.received >= 100_000).mapToDouble(Step::consumerNanosPerEvent).min().orElse(0);
        System.out.printf("zero loss up to %d/s in all %d run(s); loss from %s/s; peak arrival %.0f/s;"
                + " consumer thread %.0f ns of CPU per event (%.0f events/s on a core of its own)%n", zeroLoss, REPEAT,
                lossFrom == 0 ? "none of the rates" : Long.toString(lossFrom), peak, cpu, cpu > 0 ? 1e9 / cpu : 0);
        Files.writeString(Path.of("target/ebpf-bench-" + BUS + ".json"), json(steps, zeroLoss, lossFrom, peak, cpu));
    }

    /** Fires {@code count} events at {@code rate} and waits until each was received or counted lost. */
    private Step step(LongSupplier received, long rate, long count) throws Exception {
        BusComponent bus = context.getComponent("bus", BusComponent.class);
        long before = received.getAsLong();
        long dropsBefore = ebpfConsumer().getDropsTotal();
        long lostBefore = busLost(bus);
        long cpuBefore = consumerCpuNanos();
        Arrivals arrivals = new Arrivals(received);
        arrivals.start();
        long fired;
        double firingSeconds;
        String[] options = MESSAGE.equals("mixed") ? new String[] {"-s", "8"} : new String[] {"-s", "8", "-m", MESSAGE};
        try (UsdtTarget target = UsdtTarget.start(TRACEPOINT, count, rate, options)) {
            Files.writeString(PID_FILE, target.pid() + "\n");
            fired = target.awaitFired();
            firingSeconds = target.seconds();
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> received.getAsLong() - before
                + ebpfConsumer().getDropsTotal() - dropsBefore + busLost(bus) - lostBefore >= fired);
        Thread.sleep(200);
        arrivals.interrupt();
        arrivals.join();
        long got = received.getAsLong() - before;
        return new Step(rate, fired, fired / Math.max(firingSeconds, 1e-6), got, ebpfConsumer().getDropsTotal() - dropsBefore, busLost(bus) - lostBefore,
                arrivals.perSecond(got), (consumerCpuNanos() - cpuBefore) / (double) Math.max(1, got));
    }

    /**
     * CPU time of the consumer's polling thread: per event, what it costs whatever else runs on the
     * machine (wall-clock rates here depend on what other processes take of the 2 cores).
     */
    private static long consumerCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().endsWith("bitcoin-ebpf"))
                .mapToLong(t -> threads.getThreadCpuTime(t.getId())).sum();
    }

    private static long busLost(BusComponent bus) {
        return bus.getStatistics().publishFailed() + bus.getStatistics().subscriberOverflow();
    }

    /** Watches a count every millisecond: when it first moved and when it last did. */
    private static final class Arrivals extends Thread {
        private final LongSupplier count;
        private volatile long first;
        private volatile long last;

        Arrivals(LongSupplier count) {
            this.count = count;
            setDaemon(true);
        }

        @Override
        public void run() {
            long seen = count.getAsLong();
            while (!isInterrupted()) {
                long now = count.getAsLong();
                if (now != seen) {
                    long t = System.nanoTime();
                    if (first == 0) {
                        first = t;
                    }
                    last = t;
                    seen = now;
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        double perSecond(long events) {
            return last > first ? events / ((last - first) / 1e9) : 0;
        }
    }

    private static String json(List<Step> steps, long zeroLoss, long lossFrom, double peak, double cpu) {
        String rows = steps.stream().map(s -> String.format("{\"rate\": %d, \"fired\": %d, \"fired_per_s\": %.0f,"
                + " \"received\": %d,"
                + " \"ring_drops\": %d, \"bus_lost\": %d, \"arrived_per_s\": %.0f, \"consumer_cpu_ns_per_event\": %.0f}",
                s.rate, s.fired, s.firedPerSecond, s.received, s.ringDrops, s.busLost, s.arrivedPerSecond, s.consumerNanosPerEvent))
                .collect(Collectors.joining(",\n    "));
        return String.format("{\"bus\": \"%s\", \"tracepoint\": \"%s\", \"message\": \"%s\", \"runs\": %d, \"zero_loss_rate\": %d,"
                + " \"loss_from_rate\": %d, \"peak_arrived_per_s\": %.0f, \"consumer_cpu_ns_per_event\": %.0f,"
                + " \"consumer_capacity_per_s\": %.0f,%n  \"steps\": [%n    %s%n  ]}%n", BUS, TRACEPOINT, MESSAGE, REPEAT, zeroLoss,
                lossFrom, peak, cpu, cpu > 0 ? 1e9 / cpu : 0, rows);
    }
}
