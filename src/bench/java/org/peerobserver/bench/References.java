package org.peerobserver.bench;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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

    /**
     * The BCC consumer's zero-loss rate on the same small events, against ours from "small"; at each rate
     * also ours in one JVM (extractor and metrics tool on the in-JVM bus, the same work: read the fields,
     * count by labels), for the CPU per event of each consumer at equal rates.
     */
    void bcc() throws Exception {
        int seconds = bench.option("step-seconds");
        int ring = bench.option("ring-mib") << 20;
        System.out.printf("BCC Python consumer (bench/bcc_consumer.py) and ours (embedded, 1 JVM, warmed up): %d s per rate, ring buffers %d MiB;"
                + " CPU = process CPU time (user + system) while the step ran / events received%n", seconds, ring >> 20);
        System.out.printf("  %10s %11s %10s %10s %10s %8s %10s | %10s %8s %10s %6s%n", "rate/s", "fired/s", "fired", "BCC recv",
                "ring drops", "lost", "CPU/event", "ours cnt", "lost", "CPU/event", "ratio");
        long best = 0;
        long oursBest = 0;
        boolean oursLossy = false;
        long bothBest = 0;
        String[] bothCpu = {"", ""};
        int lossy = 0;
        try (Pipeline ours = new Pipeline(false, bench.usdtTarget, ring, "metrics", bench.work)) {
            bench.step(ours, "small", PipelineBench.BCC_RATES[0], seconds);   // warm-up: JIT
            for (long rate : PipelineBench.BCC_RATES) {
                double[] fired;
                String[] result;
                double cpuAtStart;
                try (BenchProcess target = new BenchProcess("target", List.of(bench.usdtTarget.toString(), "-s", "8", "-m", "ping", "-w", "60",
                        "net:inbound_message", Long.toString(rate * seconds), Long.toString(rate)), Map.of());
                        BenchProcess bcc = new BenchProcess("bcc", List.of("/usr/bin/python3", Path.of("bench/bcc_consumer.py").toAbsolutePath().toString(),
                                bench.usdtTarget.toString(), Long.toString(target.pid()), Integer.toString(ring)), Map.of())) {
                    cpuAtStart = Double.parseDouble(bcc.awaitLine("attached", Duration.ofSeconds(60)).split(" ")[2]);
                    fired = PipelineBench.fired(target, Duration.ofSeconds(seconds * 5L + 60));
                    result = bcc.awaitLine("received ", Duration.ofSeconds(120)).split(" ");
                }
                long received = Long.parseLong(result[1]);
                long lost = (long) fired[0] - received;
                double bccCpu = (Double.parseDouble(result[5]) - cpuAtStart) / Math.max(1, received);
                double before = ours.extractor.cpuSeconds();
                PipelineBench.Step s = bench.step(ours, "small", rate, seconds);
                double oursCpu = (ours.extractor.cpuSeconds() - before) / Math.max(1, s.delta().counted());
                System.out.printf("  %,10d %,11.0f %,10d %,10d %,10d %,8d %8.1f µs | %,10d %,8d %8.1f µs %5.2fx%n", rate, fired[0] / fired[1],
                        (long) fired[0], received, Long.parseLong(result[3]), lost, bccCpu * 1e6, s.delta().counted(), s.lost(), oursCpu * 1e6,
                        oursCpu / bccCpu);
                if (s.lost() == 0 && !oursLossy) {
                    oursBest = Math.round(s.firedPerSecond());
                }
                oursLossy |= s.lost() > 0;
                if (lost == 0 && s.lost() == 0) {
                    bothBest = rate;
                    bothCpu = new String[] {String.format("%.1f µs", oursCpu * 1e6), String.format("%.1f µs", bccCpu * 1e6),
                        String.format("%.2fx", oursCpu / bccCpu)};
                }
                if (lost == 0 && lossy == 0) {
                    best = Math.round(fired[0] / fired[1]);
                } else if (lost > 0 && ++lossy == PipelineBench.LOSSY_STEPS) {
                    break;
                }
            }
        }
        Long ours = bench.report.zeroLoss.get("small events, NATS, 2 JVMs");
        double ratio = ours == null || best == 0 ? Double.NaN : (double) ours / best;
        bench.report.row("zero-loss rate vs BCC Python (small events)", ours == null ? "(run small)" : String.format("%,d/s", ours),
                String.format("%,d/s", best), String.format("%.1fx", ratio), ">= 3x", Double.isNaN(ratio) ? "" : PipelineBench.Report.verdict(ratio >= 3));
        bench.report.row("zero-loss rate in this step, ours embedded vs BCC Python (small events)", String.format("%,d/s", oursBest),
                String.format("%,d/s", best), String.format("%.1fx", (double) oursBest / Math.max(1, best)), "", "");
        bench.report.row(String.format("consumer CPU per small event at %,d/s (highest rate both lost none), embedded vs BCC", bothBest),
                bothCpu[0], bothCpu[1], bothCpu[2], "", "");
    }

    /**
     * FIBRE: fibre_exporter.py's work per event in BCC (bcc_consumer.py --fibre) and ours (`peer-observer
     * fibre-exporter --bitcoind --pid`, a cold JVM) attached to one stopped target, which then fires the
     * flood at --fibre-rate through --fibre-tracepoints in turn. CPU time on a shared machine moves by a tenth
     * from one flood to the next: --fibre-rounds floods, each printed, and the round with the median ratio is
     * the one the report keeps.
     */
    void fibre() throws Exception {
        long events = bench.option("fibre-events");
        long rate = bench.option("fibre-rate");
        long rounds = bench.option("fibre-rounds");
        String tracepoints = bench.opts.get("fibre-tracepoints");
        System.out.printf("FIBRE flood: %,d events at %,d/s through %s, %d rounds; BCC attached first (the target stopped), then ours%n",
                events, rate, tracepoints, rounds);
        List<FibreRound> done = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            System.out.printf(" round %d of %d%n", r, rounds);
            done.add(fibreRound(events, rate, tracepoints));
        }
        done.sort(Comparator.comparingDouble(FibreRound::coldRatio));
        FibreRound median = done.get((done.size() - 1) / 2);
        boolean noneLost = done.stream().allMatch(f -> f.counted() == f.fired());
        String ratios = done.stream().map(f -> String.format("%.2f", f.coldRatio())).collect(Collectors.joining(" "));
        System.out.printf(" ratios, cold start included, lowest first: %s; the median round is reported%n", ratios);
        String at = String.format(" (%,d at %,.0f/s, median of %d rounds)", median.fired(), median.rate(), done.size());
        bench.report.row("FIBRE CPU per event, cold start included" + at,
                String.format("%.1f µs (lost %,d)", median.oursCold() * 1e6, median.fired() - median.counted()),
                String.format("%.1f µs (lost %,d)", median.refCold() * 1e6, median.fired() - median.received()),
                String.format("%.2f", median.coldRatio()), "<= 0.33, 0 lost", PipelineBench.Report.verdict(median.coldRatio() <= 1 / 3.0 && noneLost));
        bench.report.row("FIBRE CPU per event, the flood only", String.format("%.1f µs", median.oursFlood() * 1e6),
                String.format("%.1f µs", median.refFlood() * 1e6), String.format("%.2f", median.oursFlood() / median.refFlood()), "", "");
    }

    /** One flood's counts and CPU seconds: BCC's and ours at attach and at the end. */
    private record FibreRound(long fired, double rate, long received, long counted, double refAtStart, double refAtEnd,
            double oursAtStart, double oursAtEnd) {
        double refCold() {
            return refAtEnd / Math.max(1, received);
        }

        double oursCold() {
            return oursAtEnd / Math.max(1, counted);
        }

        double refFlood() {
            return (refAtEnd - refAtStart) / Math.max(1, received);
        }

        double oursFlood() {
            return (oursAtEnd - oursAtStart) / Math.max(1, counted);
        }

        double coldRatio() {
            return oursCold() / refCold();
        }
    }

    private FibreRound fibreRound(long events, long rate, String tracepoints) throws Exception {
        int port = NatsServer.freePort();
        double[] fired;
        String[] ref;
        double refAtStart;
        long counted;
        double oursAtStart;
        double oursAtEnd;
        long startedAt = System.nanoTime();
        try (BenchProcess target = new BenchProcess("target", List.of(bench.usdtTarget.toString(), "-w", "300", tracepoints,
                Long.toString(events / tracepoints.split(",").length), Long.toString(rate)), Map.of());
                BenchProcess bcc = new BenchProcess("bcc-fibre", List.of("/usr/bin/python3", Path.of("bench/bcc_consumer.py").toAbsolutePath().toString(),
                        "--fibre", bench.usdtTarget.toString(), Long.toString(target.pid())), Map.of())) {
            refAtStart = Double.parseDouble(bcc.awaitLine("attached", Duration.ofSeconds(120)).split(" ")[2]);
            try (BenchProcess ours = Pipeline.app("fibre-exporter", Map.of(), NatsServer.freePort(), "fibre-exporter", "--bitcoind",
                    bench.usdtTarget.toString(), "--pid", Long.toString(target.pid()), "--port", Integer.toString(port), "--health-port",
                    Integer.toString(NatsServer.freePort()))) {
                // its log line says when it is attached, as BCC's does: polling its port meanwhile would add to its start
                ours.awaitLineWith("BitcoinEbpfConsumer - Attached ", Duration.ofSeconds(120));
                System.out.printf("  attached: BCC after %.1f s of CPU, ours after %.1f s of CPU (%.1f s from its start)%n", refAtStart,
                        ours.cpuSeconds(), (System.nanoTime() - startedAt) / 1e9);
                oursAtStart = ours.cpuSeconds();
                new ProcessBuilder("kill", "-CONT", Long.toString(target.pid())).start().waitFor();
                fired = PipelineBench.fired(target, Duration.ofSeconds(events / Math.max(1, rate) * 10 + 120));
                ref = bcc.awaitLine("received ", Duration.ofSeconds(120)).split(" ");
                counted = awaitSettled(() -> scrape(port, "fibre_exporter_events_processed"), (long) fired[0])[0];
                oursAtEnd = ours.cpuSeconds();
            }
        }
        FibreRound f = new FibreRound((long) fired[0], fired[0] / fired[1], Long.parseLong(ref[1]), counted, refAtStart,
                Double.parseDouble(ref[5]), oursAtStart, oursAtEnd);
        System.out.printf("  target fired %,d in %.1f s (%,.0f/s)%n", f.fired(), fired[1], f.rate());
        System.out.printf("  %-16s %10s %10s %14s %12s %12s %12s%n", "", "counted", "lost", "perf/ring lost", "CPU start", "CPU flood",
                "CPU total");
        System.out.printf("  %-16s %,10d %,10d %,14d %10.2f s %10.2f s %10.2f s%n", "BCC (reference)", f.received(), f.fired() - f.received(),
                Long.parseLong(ref[3]), f.refAtStart(), f.refAtEnd() - f.refAtStart(), f.refAtEnd());
        System.out.printf("  %-16s %,10d %,10d %14s %10.2f s %10.2f s %10.2f s%n", "ours", f.counted(), f.fired() - f.counted(), "",
                f.oursAtStart(), f.oursAtEnd() - f.oursAtStart(), f.oursAtEnd());
        System.out.printf("  CPU per counted event, cold start included: ours %.1f µs, BCC %.1f µs, ratio %.2f%n", f.oursCold() * 1e6,
                f.refCold() * 1e6, f.coldRatio());
        System.out.printf("  CPU per counted event, the flood only:      ours %.1f µs, BCC %.1f µs, ratio %.2f%n", f.oursFlood() * 1e6,
                f.refFlood() * 1e6, f.oursFlood() / f.refFlood());
        return f;
    }

    /**
     * fibre_exporter.py's families side by side: BCC doing its work per event, and ours started with its flags
     * ({@code --bitcoind --pid}) and a config file in its format ({@code --config}), on one target firing its
     * four probes slowly enough that neither loses an event. Every series BCC has is compared with ours, value
     * for value, and every series ours has in those families with BCC's.
     */
    void fibreValues() throws Exception {
        long each = 500;
        String tracepoints = "udp:block_reconstructed,udp:block_send_start,udp:block_race_winner,validation:block_connected";
        int port = NatsServer.freePort();
        Path config = bench.work.resolve("fibre_exporter.yaml");
        Files.writeString(config, "node_name: bench\nmetrics_port: " + port + "\nhealth_port: " + NatsServer.freePort()
                + "\nlog_level: INFO\nverbose: false\n");
        System.out.printf("fibre_exporter.py's four probes, %,d events each at 2,000/s; BCC and ours (its flags and a config file)%n", each);
        String[] bccSeries;
        String ours;
        long fired;
        try (BenchProcess target = new BenchProcess("target", List.of(bench.usdtTarget.toString(), "-w", "300", tracepoints,
                Long.toString(each), "2000"), Map.of());
                BenchProcess bcc = new BenchProcess("bcc-fibre", List.of("/usr/bin/python3", Path.of("bench/bcc_consumer.py").toAbsolutePath().toString(),
                        "--fibre", bench.usdtTarget.toString(), Long.toString(target.pid())), Map.of())) {
            bcc.awaitLine("attached", Duration.ofSeconds(120));
            try (BenchProcess exporter = Pipeline.app("fibre-exporter", Map.of(), NatsServer.freePort(), "fibre-exporter", "--bitcoind",
                    bench.usdtTarget.toString(), "--pid", Long.toString(target.pid()), "--config", config.toString())) {
                exporter.awaitLineWith("BitcoinEbpfConsumer - Attached ", Duration.ofSeconds(120));
                new ProcessBuilder("kill", "-CONT", Long.toString(target.pid())).start().waitFor();
                fired = (long) PipelineBench.fired(target, Duration.ofSeconds(120))[0];
                bccSeries = bcc.awaitLine("metrics ", Duration.ofSeconds(120)).substring("metrics ".length()).split("\t");
                awaitSettled(() -> scrape(port, "fibre_exporter_events_processed"), fired);
                ours = Pipeline.get(port, "/metrics");
            }
        }
        Map<String, Double> theirs = new TreeMap<>();
        for (Pipeline.Sample sample : Pipeline.Sample.of(String.join("\n", bccSeries))) {
            // BCC's consumer prefixes its series with "bcc_"
            String name = sample.name().substring(4).replace("fibre_events_processed", "fibre_exporter_events_processed");
            theirs.put(name + canonicalLabels(sample.labels()), sample.value());
        }
        Set<String> families = new TreeSet<>();
        theirs.keySet().forEach(k -> families.add(family(k)));
        Map<String, Double> mine = new TreeMap<>();
        for (Pipeline.Sample sample : Pipeline.Sample.of(ours)) {
            if (families.contains(family(sample.name()))) {
                mine.put(sample.name() + canonicalLabels(sample.labels()), sample.value());
            }
        }
        List<String> differ = new ArrayList<>();
        Set<String> keys = new TreeSet<>(theirs.keySet());
        keys.addAll(mine.keySet());
        for (String k : keys) {
            Double a = theirs.get(k);
            Double b = mine.get(k);
            if (a == null || b == null || Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a))) {
                differ.add(k + ": BCC " + a + ", ours " + b);
            }
        }
        System.out.printf("  fired %,d; %d families, %d series from BCC, %d from ours; differing: %d%n", fired, families.size(),
                theirs.size(), mine.size(), differ.size());
        differ.stream().limit(20).forEach(d -> System.out.println("    " + d));
        bench.report.row(String.format("FIBRE values side by side (%,d events, fibre_exporter.py's flags and config)", fired),
                String.format("%d series", mine.size()), String.format("%d series", theirs.size()), differ.size() + " differ", "all equal",
                PipelineBench.Report.verdict(differ.isEmpty() && !theirs.isEmpty()));
    }

    /** A family's name: a series' name without its histogram suffix and labels. */
    private static String family(String series) {
        String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
        return name.replaceAll("_(bucket|sum|count)$", "");
    }

    /** Labels sorted by name, {@code le} as a number ("1.0" and "1" are the same bucket). */
    private static String canonicalLabels(String braced) {
        Map<String, String> labels = new TreeMap<>();
        Matcher m = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(braced);
        while (m.find()) {
            String v = m.group(2);
            labels.put(m.group(1), m.group(1).equals("le") && !v.equals("+Inf") ? Double.toString(Double.parseDouble(v)) : v);
        }
        return labels.toString();
    }

    /** A Prometheus sum from the FIBRE exporter's port, or -1 while it does not answer. */
    private static long scrape(int port, String name) {
        try {
            return (long) Pipeline.sum(Pipeline.get(port, "/metrics"), name);
        } catch (Exception notYet) {
            return -1;
        }
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
