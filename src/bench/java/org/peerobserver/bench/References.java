package org.peerobserver.bench;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import org.peerobserver.bitcoin.ConnTypes;
import org.peerobserver.bus.NatsPayload;
import org.peerobserver.proto.ebpf.ebpf;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.message.Metadata;
import org.peerobserver.proto.ebpf.message.Ping;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.NatsServer;

/** The references each figure is set against: a BCC Python consumer, and plain jnats. */
final class References {
    private final PipelineBench bench;

    References(PipelineBench bench) {
        this.bench = bench;
    }

    /** The BCC consumer's zero-loss rate on the same small events, against ours from "small". */
    void bcc() throws Exception {
        int seconds = bench.option("step-seconds");
        int ring = bench.option("ring-mib") << 20;
        System.out.printf("BCC Python consumer (bench/bcc_consumer.py): %d s per rate, ring buffer %d MiB%n", seconds, ring >> 20);
        System.out.printf("  %10s %11s %10s %10s %10s %8s%n", "rate/s", "fired/s", "fired", "received", "ring drops", "lost");
        long best = 0;
        int lossy = 0;
        for (long rate : PipelineBench.BCC_RATES) {
            double[] fired;
            String[] result;
            try (BenchProcess target = bench.target("small", rate * seconds, rate, 60);
                    BenchProcess bcc = new BenchProcess("bcc", List.of("/usr/bin/python3", Path.of("bench/bcc_consumer.py").toAbsolutePath().toString(),
                            bench.usdtTarget.toString(), Long.toString(target.pid()), Integer.toString(ring)), Map.of())) {
                bcc.awaitLine("attached", Duration.ofSeconds(60));
                fired = PipelineBench.fired(target, Duration.ofSeconds(seconds * 5L + 60));
                result = bcc.awaitLine("received ", Duration.ofSeconds(120)).split(" ");
            }
            long received = Long.parseLong(result[1]);
            long lost = (long) fired[0] - received;
            System.out.printf("  %,10d %,11.0f %,10d %,10d %,10d %,8d%n", rate, fired[0] / fired[1], (long) fired[0], received,
                    Long.parseLong(result[3]), lost);
            if (lost == 0 && lossy == 0) {
                best = Math.round(fired[0] / fired[1]);
            } else if (lost > 0 && ++lossy == PipelineBench.LOSSY_STEPS) {
                break;
            }
        }
        Long ours = bench.report.zeroLoss.get("small events, NATS, 2 JVMs");
        double ratio = ours == null || best == 0 ? Double.NaN : (double) ours / best;
        bench.report.row("zero-loss rate vs BCC Python (small events)", ours == null ? "(run small)" : String.format("%,d/s", ours),
                String.format("%,d/s", best), String.format("%.1fx", ratio), ">= 3x", Double.isNaN(ratio) ? "" : PipelineBench.Report.verdict(ratio >= 3));
    }

    /** Throughput of the bus through Camel (replay -> NATS -> metrics tool) against plain jnats. */
    void jnats() throws Exception {
        int n = bench.option("jnats-events");
        Event[] events = new Event[125];
        for (int i = 0; i < events.length; i++) {
            events[i] = Event.newBuilder().setTimestamp(1_700_000_000L + i).setEbpfExtractor(ebpf.newBuilder().setMessage(MessageEvent.newBuilder()
                    .setMeta(Metadata.newBuilder().setPeerId(i).setAddr("10.0.0." + i + ":8333").setConnType(ConnTypes.of("inbound")).setCommand("ping")
                            .setInbound(true).setSize(8))
                    .setPing(Ping.newBuilder().setValue(i * 0x9e3779b97f4a7c15L)))).build();
        }
        System.out.printf("%,d small events pushed as fast as possible through a real nats-server%n", n);
        double raw = raw(events, n);
        double camel = camel(events, n);
        double cost = 1 - camel / raw;
        bench.report.row("bus throughput: Camel (replay -> NATS -> metrics) vs plain jnats", String.format("%,.0f/s", camel),
                String.format("%,.0f/s", raw), String.format("%.2f (cost %.0f%%)", camel / raw, cost * 100), "cost <= 30%",
                PipelineBench.Report.verdict(cost <= 0.30));
    }

    /** Plain jnats: one connection publishes (serializing each event), another parses and counts by command. */
    private double raw(Event[] events, int n) throws Exception {
        try (NatsServer nats = new NatsServer(); Connection pub = Nats.connect(nats.url()); Connection sub = Nats.connect(nats.url())) {
            Map<String, LongAdder> byCommand = new ConcurrentHashMap<>();
            AtomicLong received = new AtomicLong();
            AtomicLong first = new AtomicLong();
            Dispatcher d = sub.createDispatcher(msg -> {
                try {
                    NatsPayload.Decoded stamped = NatsPayload.decode(msg.getData());
                    Metadata meta = stamped.event().getEbpfExtractor().getMessage().getMeta();
                    byCommand.computeIfAbsent(meta.getCommand() + meta.getConnType() + stamped.node(),
                            k -> new LongAdder()).increment();
                } catch (Exception malformed) {
                    return;
                }
                if (received.incrementAndGet() == 1) {
                    first.set(System.nanoTime());
                }
            });
            d.subscribe("netmsg");
            sub.flush(Duration.ofSeconds(5));
            for (int i = 0; i < n; i++) {
                pub.publish("netmsg", NatsPayload.encode(events[i % events.length], "bench", 1, i + 1));
            }
            pub.flush(Duration.ofSeconds(30));
            long[] end = awaitSettled(received::get, n);
            double rate = (end[0]) / ((end[1] - first.get()) / 1e9);
            System.out.printf("  plain jnats: received %,d of %,d (slow-consumer drops %,d) at %,.0f/s%n", end[0], n, d.getDroppedCount(), rate);
            return rate;
        }
    }

    /** The application: replay of the same events (speed 0) in one process, the metrics tool in another. */
    private double camel(Event[] events, int n) throws Exception {
        Path capture = bench.work.resolve("small-events.capture");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(capture))) {
            for (int i = 0; i < n; i++) {
                events[i % events.length].writeDelimitedTo(out);
            }
        }
        int metrics = NatsServer.freePort();
        try (NatsServer nats = new NatsServer();
                BenchProcess tool = Pipeline.app("tool", Map.of("BUS", "nats", "NATS_ADDRESS", nats.url(), "EXTRACTOR_TYPE", "none",
                        "TOOLS", "metrics", "METRICS_ADDRESS", "127.0.0.1:" + metrics), NatsServer.freePort())) {
            LongSupplier counted = () -> {
                try {
                    return (long) Pipeline.sum(Pipeline.get(metrics, "/metrics"), "p2p_message_count", "direction=\"inbound\"");
                } catch (Exception notYet) {
                    return -1;
                }
            };
            while (counted.getAsLong() < 0) {
                Thread.sleep(100);
            }
            try (BenchProcess replay = Pipeline.app("replay", Map.of("BUS", "nats", "NATS_ADDRESS", nats.url(), "EXTRACTOR_TYPE", "replay",
                    "REPLAY_FILE", capture.toString(), "REPLAY_SPEED", "0", "TOOLS", "none"), NatsServer.freePort())) {
                long first;
                while (counted.getAsLong() <= 0) {
                    Thread.sleep(5);
                }
                first = System.nanoTime();
                long c0 = counted.getAsLong();
                long[] end = awaitSettled(counted, n);
                double rate = (end[0] - c0) / ((end[1] - first) / 1e9);
                System.out.printf("  Camel: counted %,d of %,d by the metrics tool at %,.0f/s%n", end[0], n, rate);
                return rate;
            }
        }
    }

    /** Polls until {@code count} reaches {@code n} or stays still for 3 s: the count and when it last moved. */
    private static long[] awaitSettled(LongSupplier count, long n) throws InterruptedException {
        long last = count.getAsLong();
        long moved = System.nanoTime();
        while (last < n && System.nanoTime() - moved < 3_000_000_000L) {
            Thread.sleep(10);
            long c = count.getAsLong();
            if (c != last) {
                last = c;
                moved = System.nanoTime();
            }
        }
        return new long[] {last, moved};
    }
}
