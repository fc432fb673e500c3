package org.peerobserver.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.peerobserver.testing.NatsServer;

/**
 * The pipeline under test, as users run it: the ebpf extractor and the metrics tool (plus any other
 * tools) through bin/peer-observer, either in two processes on a real nats-server or in one process
 * on the in-JVM bus. It reads every counter the bench needs to say where events were lost.
 */
final class Pipeline implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The consumer's Drops attribute: {rb_msg_small=0, ...}. */
    private static final Pattern PER_RING = Pattern.compile("(rb_\\w+|oversized_messages)=(\\d+)");
    private static final Pattern VARZ_SLOW = Pattern.compile("\"slow_consumers\":\\s*(\\d+)");

    /** Counters at one moment; differences between two say where events went. */
    record Counts(long ringDrops, Map<String, Long> perRing, long extracted, long published, long received, long overflow, long counted,
            long natsSlow) {
        Counts minus(Counts b) {
            Map<String, Long> rings = new TreeMap<>();
            perRing.forEach((ring, n) -> {
                long d = n - b.perRing.getOrDefault(ring, 0L);
                if (d != 0) {
                    rings.put(ring, d);
                }
            });
            return new Counts(ringDrops - b.ringDrops, rings, extracted - b.extracted, published - b.published, received - b.received,
                    overflow - b.overflow, counted - b.counted, natsSlow - b.natsSlow);
        }
    }

    final boolean nats;
    private final NatsServer natsServer;
    private final int natsMonitorPort;
    final BenchProcess extractor;
    final BenchProcess tool;
    private final int extractorManagement;
    private final int toolManagement;
    final int metricsPort;
    final int websocketPort;
    /** Tools subscribed in the tool process: each receipt is counted once per subscription. */
    private final int subscribers;

    /**
     * Starts the pipeline; the extractor attaches to the process of {@code target} named in the pid file
     * {@link #pidFile} (the targets of the rates differ in their arguments, so they are not the same node
     * by their command line), found again within 200 ms when it is replaced.
     */
    Pipeline(boolean nats, Path target, int ringBytes, String tools, Path workDir) throws Exception {
        this.nats = nats;
        this.subscribers = tools.split(",").length;
        Map<String, String> source = new HashMap<>(Map.of("EXTRACTOR_TYPE", "ebpf", "BITCOIND_PATH", target.toString(),
                "BITCOIND_PID_FILE", pidFile(workDir).toString(),
                "EBPF_REATTACH_INTERVAL", "200", "EBPF_IDLE_WARNING", "0", "EBPF_RING_BUFFER_SIZE", Integer.toString(ringBytes),
                "EBPF_CONNECTION_TRACEPOINTS", "false", "EBPF_MEMPOOL_TRACEPOINTS", "false", "EBPF_VALIDATION_TRACEPOINTS", "false",
                "EBPF_UTXOCACHE_TRACEPOINTS", "false"));
        metricsPort = NatsServer.freePort();
        websocketPort = NatsServer.freePort();
        Map<String, String> sink = new HashMap<>(Map.of("TOOLS", tools, "METRICS_ADDRESS", "127.0.0.1:" + metricsPort,
                "WEBSOCKET_ADDRESS", "127.0.0.1:" + websocketPort));
        if (nats) {
            natsMonitorPort = NatsServer.freePort();
            Path conf = workDir.resolve("nats.conf");
            Files.writeString(conf, "max_payload: 8MB\n");   // block messages, as docs/bus.md says
            natsServer = new NatsServer("-m", Integer.toString(natsMonitorPort), "-c", conf.toString());
            Map<String, String> bus = Map.of("BUS", "nats", "NATS_ADDRESS", natsServer.url());
            sink.putAll(bus);
            sink.put("EXTRACTOR_TYPE", "none");
            source.putAll(bus);
            source.put("TOOLS", "none");
            toolManagement = NatsServer.freePort();
            tool = app("tool", sink, toolManagement);
            extractorManagement = NatsServer.freePort();
            extractor = app("extractor", source, extractorManagement);
        } else {
            natsServer = null;
            natsMonitorPort = 0;
            source.putAll(sink);
            source.put("BUS", "embedded");
            extractorManagement = toolManagement = NatsServer.freePort();
            extractor = tool = app("app", source, extractorManagement);
        }
        try {
            awaitReady();
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** Where a target's PID goes, as bitcoind writes its own. */
    static Path pidFile(Path workDir) {
        return workDir.resolve("target.pid");
    }

    /** JAVA_OPTS for every application process (the launcher passes them to java); bench/run --java-opts. */
    static String javaOpts = "";

    static BenchProcess app(String name, Map<String, String> env, int managementPort, String... args) throws IOException {
        Map<String, String> all = new HashMap<>(env);
        all.put("JAVA_OPTS", javaOpts);
        all.put("MANAGEMENT_PORT", Integer.toString(managementPort));
        all.put("NODE_NAME", "bench");
        List<String> command = new java.util.ArrayList<>(List.of(Path.of("bin/peer-observer").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return new BenchProcess(name, command, all);
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            try {
                get(extractorManagement, "/observe/metrics");
                get(toolManagement, "/observe/metrics");
                get(metricsPort, "/metrics");
                return;
            } catch (IOException notYet) {
                if (!extractor.isAlive() || !tool.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the pipeline did not start; last lines:\n  "
                            + String.join("\n  ", extractor.lastLines(20)) + (tool == extractor ? "" : "\n  "
                            + String.join("\n  ", tool.lastLines(20))));
                }
                Thread.sleep(200);
            }
        }
    }

    static String get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(path + " answered " + r.statusCode());
        }
        return r.body();
    }

    /** Inbound P2P messages the metrics tool has counted (upstream's p2p_message_count). */
    long counted() throws IOException, InterruptedException {
        return (long) sum(get(metricsPort, "/metrics"), "p2p_message_count", "direction=\"inbound\"");
    }

    Counts counts() throws IOException, InterruptedException {
        String jolokia = get(extractorManagement, "/observe/jolokia/read/org.apache.camel:type=consumers,*/EventsTotal,DropsTotal,Drops?ignoreErrors=true");
        String source = get(extractorManagement, "/observe/metrics");
        String sink = tool == extractor ? source : get(toolManagement, "/observe/metrics");
        long slow = 0;
        if (nats) {
            Matcher m = VARZ_SLOW.matcher(get(natsMonitorPort, "/varz"));
            slow = m.find() ? Long.parseLong(m.group(1)) : 0;
        }
        Map<String, Long> perRing = new TreeMap<>();
        Matcher ring = PER_RING.matcher(jolokia);
        while (ring.find()) {
            perRing.merge(ring.group(1), Long.parseLong(ring.group(2)), Long::sum);
        }
        return new Counts(jolokiaSum(jolokia, "DropsTotal"), perRing, jolokiaSum(jolokia, "EventsTotal"),
                (long) sum(source, "peerobserver_bus_published_total"), (long) sum(sink, "peerobserver_bus_received_total") / subscribers,
                (long) sum(sink, "peerobserver_bus_dropped_total", "subscriber_overflow"), counted(), slow);
    }

    /** Heap in use right after a full GC (jcmd GC.run, then the heap MXBean through Jolokia). */
    long heapAfterGc(BenchProcess p) throws Exception {
        new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(p.pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        String body = get(p == extractor ? extractorManagement : toolManagement,
                "/observe/jolokia/read/java.lang:type=Memory/HeapMemoryUsage/used");
        Matcher m = Pattern.compile("\"value\":\\s*(\\d+)").matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static long jolokiaSum(String body, String attribute) {
        Matcher m = Pattern.compile("\"" + attribute + "\":\\s*(\\d+)").matcher(body);
        long total = 0;
        while (m.find()) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }

    /** Sum of the Prometheus samples named {@code name} (or name_total) whose labels contain {@code label}. */
    static double sum(String text, String name, String... labels) {
        double total = 0;
        for (Sample s : Sample.of(text)) {
            if ((s.name().equals(name) || s.name().equals(name + "_total") || s.name().endsWith("_" + name))
                    && Arrays.stream(labels).allMatch(s.labels()::contains)) {
                total += s.value();
            }
        }
        return total;
    }

    /** One sample of a Prometheus exposition: its name, its labels as written ("{...}", or "" for none), its value. */
    record Sample(String name, String labels, double value) {
        static List<Sample> of(String exposition) {
            List<Sample> samples = new ArrayList<>();
            for (String line : exposition.split("\n")) {
                int space = line.lastIndexOf(' ');
                if (line.startsWith("#") || space < 0) {
                    continue;
                }
                int brace = line.indexOf('{');
                samples.add(new Sample(line.substring(0, brace >= 0 ? brace : space), brace >= 0 ? line.substring(brace, space) : "",
                        Double.parseDouble(line.substring(space + 1))));
            }
            return samples;
        }
    }

    @Override
    public void close() throws Exception {
        extractor.close();
        tool.close();
        if (natsServer != null) {
            natsServer.close();
        }
    }
}
