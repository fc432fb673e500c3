package org.peerobserver.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import org.peerobserver.testing.NatsServer;

/**
 * The end-to-end benchmark set of bench/run (bench/README.md says what each figure means). Each
 * figure is printed next to its reference from the same run, since the machine is shared and noisy.
 */
public final class PipelineBench {
    static final List<String> DEFAULT = List.of("small", "mix", "steady", "startup", "bcc", "jnats", "fibre", "fibre-values");
    private static final long[] SMALL_RATES = {10_000, 25_000, 50_000, 100_000, 150_000, 200_000, 250_000, 300_000, 400_000, 500_000, 750_000, 1_000_000};
    private static final long[] MIX_RATES = {5_000, 10_000, 15_000, 25_000, 50_000, 75_000, 100_000, 150_000, 200_000, 300_000};
    static final long[] BCC_RATES = {5_000, 10_000, 20_000, 30_000, 50_000, 75_000, 100_000, 150_000, 200_000, 300_000, 400_000,
        500_000, 750_000, 1_000_000};
    /** Rising rates stop after this many lossy steps: loss is shown, and the run stays short. */
    static final int LOSSY_STEPS = 2;

    final Map<String, String> opts;
    final Path work = Path.of("target/bench").toAbsolutePath();
    final Path usdtTarget = Path.of("target/native/usdt-target").toAbsolutePath();
    final Path mixTarget = work.resolve("mix-target");
    final Report report = new Report();

    private PipelineBench(Map<String, String> opts) {
        this.opts = opts;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>(Map.of("step-seconds", "5", "minutes", "5", "soak-minutes", "30",
                "soak-rate", "20000", "ring-mib", "16", "jnats-events", "1000000", "steady-events", "ping", "java-opts", ""));
        opts.putAll(Map.of("hub-sites", "1,2,4", "hub-rate", "5000", "hub-seconds", "20"));
        opts.put("fibre-events", "600000");
        opts.put("fibre-rate", "150000");
        opts.put("fibre-rounds", "3");
        opts.put("fibre-tracepoints", "udp:block_reconstructed");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                String key = args[i].substring(2);
                if (!opts.containsKey(key) || i + 1 == args.length) {
                    System.err.println("bench: unknown option or missing value: " + args[i] + " (known: " + opts.keySet() + ")");
                    System.exit(2);
                }
                opts.put(key, args[++i]);
            } else {
                names.add(args[i]);
            }
        }
        if (names.isEmpty() || names.contains("all")) {
            names = DEFAULT;
        }
        PipelineBench bench = new PipelineBench(opts);
        Pipeline.javaOpts = opts.get("java-opts");
        Files.createDirectories(bench.work);
        String loadAtStart = load();
        for (String name : names) {
            System.out.printf("%n== %s ==%n", name);
            try {
                switch (name) {
                    case "small" -> bench.rising("small");
                    case "mix" -> bench.rising("mix");
                    case "steady" -> bench.steady();
                    case "startup" -> bench.startup();
                    case "bcc" -> new References(bench).bcc();
                    case "jnats" -> new References(bench).jnats();
                    case "fibre" -> new References(bench).fibre();
                    case "fibre-values" -> new References(bench).fibreValues();
                    case "soak" -> bench.soak();
                    case "hub" -> new HubBench(bench).run();
                    default -> {
                        System.err.println("bench: unknown benchmark " + name + "; known: " + DEFAULT + ", soak and hub");
                        System.exit(2);
                    }
                }
            } catch (Exception e) {
                System.out.println("  FAILED: " + e.getMessage());
                bench.report.row(name, "failed: " + e.getMessage().lines().findFirst().orElse(""), "", "", "", "");
            }
        }
        bench.report.print();
        System.out.printf("%d CPUs; load average (1, 5, 15 min) at start %s, at end %s%n", Runtime.getRuntime().availableProcessors(),
                loadAtStart, load());
    }

    /** The load average: how much else ran on the machine, which these figures depend on. */
    private static String load() throws java.io.IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    int option(String key) {
        return Integer.parseInt(opts.get(key));
    }

    /** A USDT target firing {@code count} events at {@code rate}/s once attached; its PID in the pipeline's pid file. */
    BenchProcess target(String kind, long count, long rate, int waitSeconds) throws Exception {
        List<String> cmd = kind.equals("small")
                ? List.of(usdtTarget.toString(), "-s", "8", "-m", "ping", "-w", Integer.toString(waitSeconds), "net:inbound_message", Long.toString(count), Long.toString(rate))
                : List.of(mixTarget.toString(), "-w", Integer.toString(waitSeconds), kind, Long.toString(count), Long.toString(rate));
        BenchProcess target = new BenchProcess("target", cmd, Map.of());
        Path pidFile = Pipeline.pidFile(work);
        Path written = Files.writeString(work.resolve("target.pid.new"), target.pid() + "\n");
        Files.move(written, pidFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** "fired N in S s": N and S. */
    static double[] fired(BenchProcess target, Duration timeout) throws InterruptedException {
        String[] w = target.awaitLine("fired ", timeout).split(" ");
        return new double[] {Long.parseLong(w[1]), Double.parseDouble(w[3])};
    }

    /** One step at a rate: fires, waits until every event is accounted for or nothing moves for 3 s. */
    record Step(long rate, long fired, double firedPerSecond, Pipeline.Counts delta) {
        long lost() {
            return fired - delta.counted();
        }

        String where() {
            long ring = delta.ringDrops();
            long extractor = Math.max(0, fired - ring - delta.published());
            long bus = delta.published() - delta.received();
            long tool = delta.received() - delta.counted();
            List<String> w = new ArrayList<>();
            if (ring > 0) {
                w.add("ring buffer " + ring + " " + delta.perRing());
            }
            if (extractor > 0) {
                w.add("extractor " + extractor);
            }
            if (bus > 0) {
                w.add("bus " + bus + (delta.overflow() > 0 ? " (subscriber overflow " + delta.overflow() + ")" : "")
                        + (delta.natsSlow() > 0 ? " (nats-server slow consumer x" + delta.natsSlow() + ")" : ""));
            }
            if (tool > 0) {
                w.add("tool " + tool);
            }
            return w.isEmpty() ? "-" : String.join(", ", w);
        }
    }

    Step step(Pipeline p, String kind, long rate, int seconds) throws Exception {
        Pipeline.Counts before = p.counts();
        double[] fired;
        try (BenchProcess target = target(kind, rate * seconds, rate, 30)) {
            fired = fired(target, Duration.ofSeconds(seconds * 5L + 60));
        }
        Pipeline.Counts last = p.counts();
        long still = System.nanoTime();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() - still < 3_000_000_000L && System.nanoTime() < deadline) {
            Thread.sleep(250);
            Pipeline.Counts now = p.counts();
            if (now.counted() - before.counted() + now.ringDrops() - before.ringDrops() >= fired[0]) {
                last = now;
                break;
            }
            if (!now.equals(last)) {
                still = System.nanoTime();
            }
            last = now;
        }
        return new Step(rate, (long) fired[0], fired[0] / fired[1], last.minus(before));
    }

    /** Rates rise until {@link #LOSSY_STEPS} steps lose events; the highest lossless rate goes in the report. */
    void rising(String kind) throws Exception {
        long[] rates = kind.equals("small") ? SMALL_RATES : MIX_RATES;
        Path binary = kind.equals("small") ? usdtTarget : mixTarget;
        int seconds = option("step-seconds");
        for (boolean nats : new boolean[] {true, false}) {
            String label = kind + " events, " + (nats ? "NATS, 2 JVMs" : "embedded, 1 JVM");
            System.out.printf("%s: %d s per rate, ring buffers %d MiB%n", label, seconds, option("ring-mib"));
            System.out.printf("  %10s %11s %10s %10s %8s  %s%n", "rate/s", "fired/s", "fired", "counted", "lost", "where lost");
            try (Pipeline p = new Pipeline(nats, binary, option("ring-mib") << 20, "metrics", work)) {
                step(p, kind, rates[0], seconds);   // warm-up: JIT, connections
                long best = 0;
                int lossy = 0;
                for (long rate : rates) {
                    Step s = step(p, kind, rate, seconds);
                    System.out.printf("  %,10d %,11.0f %,10d %,10d %,8d  %s%n", s.rate, s.firedPerSecond, s.fired, s.delta.counted(), s.lost(), s.where());
                    if (s.lost() == 0 && lossy == 0) {
                        best = Math.round(s.firedPerSecond);
                    } else if (s.lost() > 0 && ++lossy == LOSSY_STEPS) {
                        break;
                    }
                }
                report.zeroLoss.put(label, best);
                if (kind.equals("small") && nats) {
                    report.row("zero-loss rate, small events, NATS", String.format("%,d/s", best), "", "", ">= 250,000/s",
                            Report.verdict(best >= 250_000));
                } else {
                    report.row("zero-loss rate, " + label, String.format("%,d/s", best), "", "", "", "");
                }
            }
        }
    }

    /** Latency and memory at a steady 10,000 events/s (small pings, or the mix), NATS and embedded. */
    void steady() throws Exception {
        int minutes = option("minutes");
        int rate = 10_000;
        String kind = opts.get("steady-events");
        for (boolean nats : new boolean[] {true, false}) {
            String label = nats ? "NATS, 2 JVMs" : "embedded, 1 JVM";
            System.out.printf("%s: %d %s events/s for %d min, built-in ring buffer sizes%s%n", label, rate, kind, minutes,
                    opts.get("java-opts").isEmpty() ? "" : ", JAVA_OPTS=" + opts.get("java-opts"));
            try (Pipeline p = new Pipeline(nats, mixTarget, 0, "metrics", work)) {
                step(p, kind, rate, 3);   // warm-up
                Pipeline.Counts base = p.counts();
                Pipeline.Counts d = base.minus(base);
                List<Long> latencies = new ArrayList<>();
                long maxRssExtractor = 0;
                long maxRssTool = 0;
                long nextRss = 0;
                long count = (long) rate * 60 * minutes;
                try (BenchProcess target = target(kind, count, rate, 30)) {
                    long start = Long.parseLong(target.awaitLine("start ", Duration.ofSeconds(40)).split(" ")[1]);
                    while (target.isAlive()) {
                        d = p.counts().minus(base);
                        // events counted, or lost where a counter says so: a lost event must not look like a late one
                        long c = d.counted() + d.ringDrops() + d.overflow();
                        long t1 = System.nanoTime();
                        if (c > 0 && c < count) {
                            // event c-1 was counted by t1 and fired no earlier than its due time: an upper bound
                            latencies.add(t1 - (start + (long) ((c - 1) * 1e9 / rate)));
                        }
                        if (t1 > nextRss) {
                            maxRssExtractor = Math.max(maxRssExtractor, p.extractor.rss());
                            maxRssTool = Math.max(maxRssTool, p.tool.rss());
                            nextRss = t1 + 5_000_000_000L;
                        }
                        Thread.sleep(10);   // each poll is a scrape: keep its load on the tool small
                    }
                    // a target that fell behind its schedule (a busy machine) shows here, and inflates the latencies
                    System.out.printf("  target: %s (due in %d s)%n", target.awaitLine("fired ", Duration.ofSeconds(5)), count / rate);
                }
                Thread.sleep(3_000);
                d = p.counts().minus(base);
                System.out.printf("  counted %,d of %,d; lost: %s%n", d.counted(), count, new Step(rate, count, rate, d).where());
                long heapE = p.heapAfterGc(p.extractor);
                long rssE = p.extractor.rss();
                long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
                double p50 = pct(l, 0.50);
                double p99 = pct(l, 0.99);
                double max = l.length == 0 ? -1 : l[l.length - 1] / 1e6;
                System.out.printf("  latency firing -> counted (%,d samples): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", l.length, p50, p99, max);
                report.row("latency p50/p99/max, 10k " + kind + "/s, " + label, String.format("%.1f / %.1f / %.1f ms", p50, p99, max), "", "",
                        "p99 < 20 ms", Report.verdict(p99 < 20));
                if (nats) {
                    long heapT = p.heapAfterGc(p.tool);
                    long rssT = p.tool.rss();
                    System.out.printf("  extractor: RSS max %s, end %s, heap after GC %s; tool: RSS max %s, end %s, heap after GC %s%n",
                            mb(maxRssExtractor), mb(rssE), mb(heapE), mb(maxRssTool), mb(rssT), mb(heapT));
                    report.row("RSS max, extractor / metrics tool, NATS, 10k " + kind + "/s", mb(maxRssExtractor) + " / " + mb(maxRssTool), "", "",
                            "< 400 MB each", Report.verdict(Math.max(maxRssExtractor, maxRssTool) < 400L << 20));
                    report.row("heap after GC, extractor / metrics tool", mb(heapE) + " / " + mb(heapT), "", "", "", "");
                } else {
                    System.out.printf("  RSS max %s, end %s, heap after GC %s%n", mb(maxRssExtractor), mb(rssE), mb(heapE));
                    report.row("RSS max, embedded, 10k " + kind + "/s", mb(maxRssExtractor), "", "", "< 400 MB",
                            Report.verdict(maxRssExtractor < 400L << 20));
                    report.row("heap after GC, embedded", mb(heapE), "", "", "", "");
                }
            }
        }
    }

    /** Process start to the first event counted by the metrics tool, with the target already firing. */
    void startup() throws Exception {
        for (boolean nats : new boolean[] {true, false}) {
            String label = nats ? "NATS: extractor start -> counted by tool" : "embedded: process start -> counted";
            try (BenchProcess target = target("ping", 60_000, 1_000, 60)) {
                double seconds = nats ? startupNats() : startupEmbedded();
                System.out.printf("  %s: %.2f s%n", label, seconds);
                report.row("startup, " + label, String.format("%.2f s", seconds), "", "", "< 4 s", Report.verdict(seconds < 4));
            }
        }
    }

    private double startupNats() throws Exception {
        NatsServer nats = new NatsServer();
        int metrics = NatsServer.freePort();
        try (BenchProcess tool = Pipeline.app("tool", Map.of("BUS", "nats", "NATS_ADDRESS", nats.url(), "EXTRACTOR_TYPE", "none",
                "TOOLS", "metrics", "METRICS_ADDRESS", "127.0.0.1:" + metrics), NatsServer.freePort())) {
            awaitCounted(metrics, 0, tool, 90);
            long t0 = System.nanoTime();
            try (BenchProcess extractor = Pipeline.app("extractor", Map.of("BUS", "nats", "NATS_ADDRESS", nats.url(),
                    "EXTRACTOR_TYPE", "ebpf", "TOOLS", "none", "BITCOIND_PATH", mixTarget.toString()), NatsServer.freePort())) {
                awaitCounted(metrics, 1, extractor, 60);
                return (System.nanoTime() - t0) / 1e9;
            }
        } finally {
            nats.close();
        }
    }

    private double startupEmbedded() throws Exception {
        int metrics = NatsServer.freePort();
        long t0 = System.nanoTime();
        try (BenchProcess app = Pipeline.app("app", Map.of("EXTRACTOR_TYPE", "ebpf", "TOOLS", "metrics", "BITCOIND_PATH",
                mixTarget.toString(), "METRICS_ADDRESS", "127.0.0.1:" + metrics), NatsServer.freePort())) {
            awaitCounted(metrics, 1, app, 60);
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    /** Waits until the metrics tool on {@code port} answers and has counted at least {@code n} messages. */
    private static void awaitCounted(int port, long n, BenchProcess watched, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline && watched.isAlive()) {
            try {
                if (Pipeline.sum(Pipeline.get(port, "/metrics"), "p2p_message_count", "direction=\"inbound\"") >= n) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("no event counted within " + seconds + " s; last lines:\n  " + String.join("\n  ", watched.lastLines(20)));
    }

    /** Issue 13's soak: ebpf -> NATS -> metrics + websocket + logger at a steady rate. */
    void soak() throws Exception {
        int minutes = option("soak-minutes");
        int rate = option("soak-rate");
        System.out.printf("soak: %d mix events/s for %d min, ebpf -> NATS -> metrics + websocket + logger%n", rate, minutes);
        try (Pipeline p = new Pipeline(true, mixTarget, 0, "metrics,websocket,logger", work)) {
            AtomicLong frames = new AtomicLong();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + p.websocketPort + "/events"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            if (last) {
                                frames.incrementAndGet();
                            }
                            w.request(1);
                            return null;
                        }
                    }).get();
            // Warm-up: a minute at the same rate while the JITs compile the hot paths, counted on its own;
            // the extractor finds the next target within 200 ms, so the soak's counts are exact.
            Pipeline.Counts start = p.counts();
            long warmFired;
            try (BenchProcess target = target("mix", (long) rate * 60, rate, 30)) {
                warmFired = (long) fired(target, Duration.ofMinutes(2))[0];
            }
            Thread.sleep(5_000);
            Pipeline.Counts warm = p.counts().minus(start);
            System.out.printf("  warm-up, 1 min: fired %,d; metrics counted %,d (lost %,d: %s)%n", warmFired, warm.counted(),
                    warmFired - warm.counted(), new Step(rate, warmFired, rate, warm).where());
            report.row("soak warm-up (1 min at " + rate + "/s, JIT compiling): lost by the metrics tool",
                    String.format("%,d of %,d", warmFired - warm.counted(), warmFired), "", "", "", "");
            Pipeline.Counts before = p.counts();
            long linesBefore = p.tool.lines();
            long framesBefore = frames.get();
            List<double[]> rss = new ArrayList<>();   // minutes, extractor MB, tool MB
            long t0 = System.nanoTime();
            long fired;
            try (BenchProcess target = target("mix", (long) rate * 60 * minutes, rate, 30)) {
                // WARN/ERROR lines count from here: attaching to the new target warns of its missing probes
                target.awaitLine("start ", Duration.ofSeconds(40));
                Thread.sleep(200);
                p.extractor.resetProblems();
                p.tool.resetProblems();
                while (target.isAlive()) {
                    rss.add(new double[] {(System.nanoTime() - t0) / 60e9, p.extractor.rss() / 1048576.0, p.tool.rss() / 1048576.0});
                    for (int i = 0; i < 100 && target.isAlive(); i++) {
                        Thread.sleep(100);
                    }
                }
                fired = (long) fired(target, Duration.ofSeconds(10))[0];
            }
            // the window ends with the target; the extractor then warns that no process runs it
            long problems = p.extractor.problemCount() + p.tool.problemCount();
            Thread.sleep(5_000);   // let the last events through
            Pipeline.Counts d = p.counts().minus(before);
            long logged = p.tool.lines() - linesBefore;
            long sent = frames.get() - framesBefore;
            long heapE = p.heapAfterGc(p.extractor);
            long heapT = p.heapAfterGc(p.tool);
            double slopeE = slope(rss, 1);
            double slopeT = slope(rss, 2);
            ws.abort();   // after the count: the tool logs the client's going
            System.out.printf("  fired %,d; metrics counted %,d (lost %,d: %s); websocket frames %,d; tool output lines %,d%n", fired,
                    d.counted(), fired - d.counted(), new Step(rate, fired, rate, d).where(), sent, logged);
            System.out.printf("  RSS extractor %.0f -> %.0f MB (slope %.2f MB/min), tool %.0f -> %.0f MB (slope %.2f MB/min) over %d samples%n",
                    rss.get(0)[1], rss.get(rss.size() - 1)[1], slopeE, rss.get(0)[2], rss.get(rss.size() - 1)[2], slopeT, rss.size());
            System.out.printf("  heap after GC at the end: extractor %s, tool %s%n", mb(heapE), mb(heapT));
            System.out.printf("  WARN/ERROR lines while the soak's target ran: %d (logs: %s, %s)%n", problems, p.extractor.log(), p.tool.log());
            p.extractor.problems().forEach(l -> System.out.println("    extractor: " + l));
            p.tool.problems().forEach(l -> System.out.println("    tool: " + l));
            report.row("soak " + minutes + " min at " + rate + "/s: lost (metrics / websocket / logger)",
                    String.format("%,d / %,d / %,d", fired - d.counted(), fired - sent, fired - logged), "", "", "0", Report.verdict(fired == d.counted() && fired == sent && logged >= fired));
            report.row("soak RSS slope, extractor / tool (after 1st minute)", String.format("%.2f / %.2f MB/min", slopeE, slopeT), "", "", "flat", "");
            report.row("soak heap after GC at the end, extractor / tool", mb(heapE) + " / " + mb(heapT), "", "", "", "");
            report.row("soak WARN/ERROR lines (after the warm-up)", Long.toString(problems), "", "", "0", Report.verdict(problems == 0));
        }
    }

    /** Least-squares slope of column {@code col} against minutes, leaving out the first minute (warm-up). */
    static double slope(List<double[]> samples, int col) {
        List<double[]> s = samples.stream().filter(x -> x[0] >= 1 || samples.get(samples.size() - 1)[0] < 2).toList();
        double n = s.size();
        double sx = 0;
        double sy = 0;
        double sxy = 0;
        double sxx = 0;
        for (double[] x : s) {
            sx += x[0];
            sy += x[col];
            sxy += x[0] * x[col];
            sxx += x[0] * x[0];
        }
        double den = n * sxx - sx * sx;
        return den == 0 ? 0 : (n * sxy - sx * sy) / den;
    }

    static double pct(long[] sorted, double q) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e6;
    }

    static String mb(long bytes) {
        return String.format("%.0f MB", bytes / 1048576.0);
    }

    /** The summary table printed at the end. */
    static final class Report {
        final Map<String, Long> zeroLoss = new LinkedHashMap<>();
        private final List<String[]> rows = new ArrayList<>();

        void row(String... cells) {
            rows.add(cells);
        }

        static String verdict(boolean met) {
            return met ? "met" : "MISSED";
        }

        void print() {
            String[] head = {"measurement", "ours", "reference", "ratio", "target", ""};
            // at least 1: a column every row leaves empty (all runs failed) still has a width
            int[] w = new int[head.length];
            Arrays.fill(w, 1);
            List<String[]> all = new ArrayList<>();
            all.add(head);
            all.addAll(rows);
            for (String[] r : all) {
                for (int i = 0; i < r.length; i++) {
                    w[i] = Math.max(w[i], r[i].length());
                }
            }
            System.out.printf("%n== report ==%n");
            for (String[] r : all) {
                StringBuilder line = new StringBuilder("|");
                for (int i = 0; i < r.length; i++) {
                    line.append(' ').append(String.format("%-" + w[i] + "s", r[i])).append(" |");
                }
                System.out.println(line);
                if (r == head) {
                    System.out.println("|" + String.join("|", Arrays.stream(w).mapToObj(x -> "-".repeat(x + 2)).toList()) + "|");
                }
            }
        }
    }
}
