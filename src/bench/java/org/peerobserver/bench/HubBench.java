package org.peerobserver.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.peerobserver.testing.AppProcess;
import org.peerobserver.testing.NatsHub;
import org.peerobserver.testing.NatsServer;
import org.peerobserver.testing.SampleCapture;

/**
 * bench/run hub: one hub (three nats-servers, the archive in three copies) and N simulated sites, each a
 * leaf node with a replay process of its own node name publishing the sample at a fixed rate, and one
 * metrics tool on the hub reading the archive. For each N it prints what the sites offered, what the
 * archive stored and the tool received per second, the hub's backlog, and the CPU each group of
 * processes used: where the hub saturates on this machine (docs/scaling.md keeps the figures).
 */
final class HubBench {
    private static final Pattern RECEIVED = Pattern.compile("(?m)^peerobserver_bus_received_total(?:\\{[^}]*})? (\\S+)$");
    private static final Pattern PUBLISHED = Pattern.compile("(?m)^peerobserver_bus_published_total(?:\\{[^}]*})? (\\S+)$");
    private static final Duration START = Duration.ofSeconds(180);
    private static final long TICKS_PER_SECOND = 100;

    private final PipelineBench bench;

    HubBench(PipelineBench bench) {
        this.bench = bench;
    }

    void run() throws Exception {
        int rate = bench.option("hub-rate");
        System.out.printf("  %-5s %-9s %-11s %-10s %-9s %-9s | CPU %% of one core: %-9s %-7s %-10s %-6s | machine%n", "sites",
                "asked/s", "published/s", "archived/s", "tool/s", "backlog", "hub nats", "leaves", "extractors", "tool");
        for (String n : bench.opts.get("hub-sites").split(",")) {
            measure(Integer.parseInt(n.trim()), rate, bench.option("hub-seconds"));
        }
    }

    private void measure(int sites, int rate, int seconds) throws Exception {
        Path dir = Files.createTempDirectory(bench.work, "hub");
        String[] names = IntStream.rangeClosed(1, sites).mapToObj(i -> "site-" + i).toArray(String[]::new);
        List<AppProcess> extractors = new ArrayList<>();
        AppProcess tool = null;
        double speed = (double) rate * SampleCapture.SECONDS / SampleCapture.events().size();
        try (NatsHub hub = new NatsHub(dir, names)) {
            int metricsPort = NatsServer.freePort();
            tool = new AppProcess(Map.of("BUS_NATS_JETSTREAM", "EVENTS", "BUS_NATS_JETSTREAM_SITES", String.join(",", names),
                    "BUS_NATS_JETSTREAM_REPLICAS", "3"), "metrics", "--nats-address", hub.hubUrls(), "--metrics-address",
                    "127.0.0.1:" + metricsPort);
            for (String site : names) {
                extractors.add(new AppProcess(Map.of("BUS_NATS_JETSTREAM", "EVENTS", "BUS_NATS_JETSTREAM_AWAIT_ACK", "false"),
                        "replay", "--nats-address", hub.site(site).url(), "--node-name", site, "--loop", "--speed",
                        Double.toString(speed)));
            }
            tool.awaitStarted(START);
            for (AppProcess e : extractors) {
                e.awaitStarted(START);
            }
            Thread.sleep(10_000);    // past the JIT's warm-up and the first backlog
            try (Connection c = Nats.connect(new Options.Builder().servers(hub.hubUrls().split(","))
                    .connectionTimeout(Duration.ofSeconds(10)).build())) {
                Snapshot before = snapshot(c, hub, names, extractors, tool);
                Thread.sleep(seconds * 1000L);
                Snapshot after = snapshot(c, hub, names, extractors, tool);
                double s = (after.nanos - before.nanos) / 1e9;
                System.out.printf("  %-5d %-9d %-11.0f %-10.0f %-9.0f %-9d | %-18.0f %-7.0f %-10.0f %-6.0f | %.0f%% of %d cores%n",
                        sites, (long) rate * sites, (after.published - before.published) / s, (after.archived - before.archived) / s, (after.received - before.received) / s,
                        after.backlog, cpu(before.hubTicks, after.hubTicks, s), cpu(before.leafTicks, after.leafTicks, s),
                        cpu(before.extractorTicks, after.extractorTicks, s), cpu(before.toolTicks, after.toolTicks, s),
                        100.0 * (after.busy - before.busy) / Math.max(1, after.total - before.total),
                        Runtime.getRuntime().availableProcessors());
                System.out.printf("        the archive stores %d bytes per event (one copy)%n",
                        after.archivedBytes / Math.max(1, after.archived));
                bench.report.row("hub, " + sites + " sites x " + rate + "/s", String.format("%.0f archived/s",
                        (after.archived - before.archived) / s), "", "", "", "backlog " + after.backlog);
            }
        } finally {
            for (AppProcess e : extractors) {
                e.close();
            }
            if (tool != null) {
                tool.close();
            }
        }
    }

    private record Snapshot(long nanos, double published, long archived, long archivedBytes, double received, long backlog, long hubTicks, long leafTicks,
            long extractorTicks, long toolTicks, long busy, long total) {
    }

    private static Snapshot snapshot(Connection c, NatsHub hub, String[] sites, List<AppProcess> extractors, AppProcess tool)
            throws Exception {
        var info = c.jetStreamManagement().getStreamInfo("EVENTS");
        long backlog = info.getSourceInfos().stream().mapToLong(si -> si.getLag()).sum();
        double received = counter(RECEIVED, tool);
        long hubTicks = 0;
        for (int i = 0; i < 3; i++) {
            hubTicks += ticks(hub.hubServer(i).pid());
        }
        long leafTicks = 0;
        for (String s : sites) {
            leafTicks += ticks(hub.site(s).pid());
        }
        long extractorTicks = 0;
        for (AppProcess e : extractors) {
            extractorTicks += ticks(e.pid());
        }
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < cpu.length; i++) {
            total += Long.parseLong(cpu[i]);
        }
        long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
        double published = 0;
        for (AppProcess e : extractors) {
            published += counter(PUBLISHED, e);
        }
        return new Snapshot(System.nanoTime(), published, info.getStreamState().getMsgCount(), info.getStreamState().getByteCount(), received, backlog, hubTicks, leafTicks,
                extractorTicks, ticks(tool.pid()), total - idle, total);
    }

    private static double counter(Pattern counter, AppProcess p) throws IOException, InterruptedException {
        Matcher m = counter.matcher(p.get("/observe/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** User and system CPU time of a process, in clock ticks. */
    private static long ticks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static double cpu(long before, long after, double seconds) {
        return 100.0 * (after - before) / TICKS_PER_SECOND / seconds;
    }
}
