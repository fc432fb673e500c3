package org.peerobserver.bus;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.nats.client.Connection;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.OrderedConsumerConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.event.EventKind;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.AppProcess;
import org.peerobserver.testing.NatsHub;
import org.peerobserver.testing.NatsServer;
import org.peerobserver.testing.SampleCapture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many nodes, one hub, with real servers on 127.0.0.1 configured by docker/nats/hub.conf and leaf.conf:
 * three hub servers in a JetStream cluster, two sites (leaf nodes) each with its own extractor process
 * (a replay with its own node name, publishing on core NATS into the site's stream), and the metrics tool
 * on the hub reading the archive. Alice's link is cut for 20 s while she publishes 5,000 events/s, then a
 * hub server is killed; every event of both nodes reaches the archive once, with its node, and the
 * metrics tool counts them by node. Then a replay of a time window of the archive, recorded to a capture
 * file, is compared with the archive's own events of that window. And a link cut for longer than a leaf's buffer
 * holds: what reached the archive and what the metrics tool counted lost add up to what the site published.
 */
class HubAndSitesIT {
    private static final Duration START = Duration.ofSeconds(120);
    private static final int RATE = 5000;
    private static final int ALICE_SECONDS = 32;
    private static final Pattern SAMPLE = Pattern.compile("peerobserver_p2p_message_count\\{([^}]*)} (\\S+)");

    @TempDir
    static Path dir;
    private static final List<AppProcess> STARTED = new ArrayList<>();
    private static NatsHub hub;

    @AfterAll
    static void stopAll() throws Exception {
        for (AppProcess p : STARTED) {
            p.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    private static AppProcess start(Map<String, String> env, String... args) throws Exception {
        AppProcess p = new AppProcess(env, args);
        STARTED.add(p);
        return p;
    }

    /** A site's extractor: a replay into the site's leaf node, whose stream EVENTS keeps what it publishes. */
    private static AppProcess extractor(String site, String capture, double speed) throws Exception {
        return extractor(hub, site, capture, speed, 512L << 20);
    }

    /** The same with the leaf's stream holding at most {@code leafBytes}. */
    private static AppProcess extractor(NatsHub on, String site, String capture, double speed, long leafBytes) throws Exception {
        return start(Map.of("BUS_NATS_JETSTREAM", "EVENTS", "BUS_NATS_JETSTREAM_AWAIT_ACK", "false",
                "BUS_NATS_JETSTREAM_MAX_BYTES", Long.toString(leafBytes)),
                "replay", "--nats-address", on.site(site).url(), "--node-name", site, "--replay-file", capture,
                "--speed", Double.toString(speed));
    }

    /** The sample again and again, a minute later each time. */
    private static List<Event> copies(List<Event> sample, int copies) {
        List<Event> events = new ArrayList<>();
        for (int c = 0; c < copies; c++) {
            long shift = c * SampleCapture.SECONDS * 1000L;
            sample.forEach(e -> events.add(e.toBuilder().setTimestamp(e.getTimestamp() + shift).build()));
        }
        return events;
    }

    /**
     * A link cut for longer than the leaf's buffer holds: the leaf drops its oldest events, and the metrics tool on
     * the archive counts every one of them as lost, so what reached the archive and what was counted lost add up to
     * what the site published.
     */
    @Test
    void whatALeafCouldNotHoldIsCountedLostAtTheHub(@TempDir Path own) throws Exception {
        List<Event> sample = SampleCapture.events();
        List<Event> carolEvents = copies(sample, 100);
        try (NatsHub small = new NatsHub(own, "carol")) {
            int metricsPort = NatsServer.freePort();
            AppProcess metrics = start(Map.of("BUS_NATS_JETSTREAM", "EVENTS", "BUS_NATS_JETSTREAM_SITES", "carol",
                    "BUS_NATS_JETSTREAM_REPLICAS", "3", "BUS_NATS_JETSTREAM_MAX_AGE", "1h", "BUS_NATS_ACK_WAIT", "5s"),
                    "metrics", "--nats-address", small.hubUrls(), "--metrics-address", "127.0.0.1:" + metricsPort);
            metrics.awaitStarted(START);
            // 2 MB: about 9,000 of the 100 copies' events fit in the leaf while its link is down
            AppProcess carol = extractor(small, "carol", SampleCapture.tempFile(carolEvents), 100.0 * SampleCapture.SECONDS / 20, 2L << 20);
            try (Connection hubClient = Nats.connect(new Options.Builder().servers(small.hubUrls().split(","))
                    .connectionTimeout(Duration.ofSeconds(10)).build())) {
                await().atMost(START).alias("carol's first events at the hub").ignoreExceptions().until(() -> stored(hubClient) > 1000);
                small.cut("carol");
                assertEquals(0, carol.waitFor(START), "carol's replay ended normally");
                small.restore("carol");
                long[] lost = new long[1];
                await().atMost(Duration.ofSeconds(90)).alias("every event of carol's stored or counted lost").ignoreExceptions().until(() -> {
                    lost[0] = (long) Double.parseDouble(metrics.get("/observe/metrics").body().lines()
                            .filter(l -> l.startsWith("peerobserver_bus_dropped_total{reason=\"lost\"}")).findFirst().orElseThrow().split(" ")[1]);
                    return stored(hubClient) + lost[0] == carolEvents.size();
                });
                long storedAtHub = stored(hubClient);
                System.out.printf("carol published %d events, her link cut beyond her leaf's 2 MB: %d reached the archive, %d counted lost%n",
                        carolEvents.size(), storedAtHub, lost[0]);
                assertTrue(lost[0] > 0, "the outage's events did not all fit in the leaf");
            }
        }
    }

    @Test
    void everyEventOfEverySiteReachesTheHubThroughAnOutageAndALostHubServer() throws Exception {
        long began = System.nanoTime();
        hub = new NatsHub(dir, "alice", "bob");
        List<Event> sample = SampleCapture.events();
        // alice: the sample again and again, a minute later each time, paced to RATE events/s
        int copies = (RATE * ALICE_SECONDS + sample.size() - 1) / sample.size();
        List<Event> aliceEvents = copies(sample, copies);
        double aliceSpeed = (double) copies * SampleCapture.SECONDS / ALICE_SECONDS;
        long messagesInSample = sample.stream().filter(e -> EventKind.of(e).subject().equals("netmsg")).count();

        int metricsPort = NatsServer.freePort();
        AppProcess metrics = start(Map.of("BUS_NATS_JETSTREAM", "EVENTS", "BUS_NATS_JETSTREAM_SITES", "alice,bob",
                "BUS_NATS_JETSTREAM_REPLICAS", "3", "BUS_NATS_JETSTREAM_MAX_AGE", "1h", "BUS_NATS_ACK_WAIT", "5s"),
                "metrics", "--nats-address", hub.hubUrls(), "--metrics-address", "127.0.0.1:" + metricsPort);
        // the sites' extractors do not wait for the hub: their leaf nodes keep what they publish
        AppProcess bob = extractor("bob", SampleCapture.tempFile(sample), 0);
        AppProcess alice = extractor("alice", SampleCapture.tempFile(aliceEvents), aliceSpeed);
        metrics.awaitStarted(START);
        System.out.printf("hub and sites up, metrics tool started: %d ms%n", (System.nanoTime() - began) / 1_000_000);

        try (Connection hubClient = Nats.connect(new Options.Builder().servers(hub.hubUrls().split(","))
                     // a cluster that just lost a server takes a few seconds to answer JetStream requests
                     .connectionTimeout(Duration.ofSeconds(10)).build());
             Connection aliceLeaf = Nats.connect(hub.site("alice").url())) {
            await().atMost(START).alias("alice's first events at the hub").ignoreExceptions()
                    .until(() -> stored(hubClient) > sample.size() + RATE);
            System.out.printf("alice's events at the hub: %d ms%n", (System.nanoTime() - began) / 1_000_000);

            long hubBeforeCut = stored(hubClient);
            long leafBeforeCut = stored(aliceLeaf);
            hub.cut("alice");
            Thread.sleep(20_000);
            long hubAfterCut = stored(hubClient);
            long leafAfterCut = stored(aliceLeaf);
            hub.restore("alice");
            long restored = System.nanoTime();
            System.out.printf("alice's link cut for 20 s: her leaf stored %d events meanwhile, the hub %d%n",
                    leafAfterCut - leafBeforeCut, hubAfterCut - hubBeforeCut);
            assertTrue(leafAfterCut - leafBeforeCut > RATE * 15L, "alice went on extracting into her leaf");
            assertTrue(hubAfterCut - hubBeforeCut < RATE * 2L, "nothing of alice's passed the cut link");

            // the hub loses a server while alice's backlog flows in
            Thread.sleep(2000);
            long beforeKill = stored(hubClient);
            hub.hubServer(0).kill();
            long killed = System.nanoTime();
            await().atMost(Duration.ofSeconds(90)).alias("delivery after a hub server was killed").ignoreExceptions()
                    .until(() -> stored(hubClient) > beforeKill + RATE);
            System.out.printf("hub-1 killed: the archive grew by %d events within %d ms%n", RATE,
                    (System.nanoTime() - killed) / 1_000_000);

            assertEquals(0, alice.waitFor(START), "alice's replay ended normally");
            assertEquals(0, bob.waitFor(START), "bob's replay ended normally");
            long expected = aliceEvents.size() + sample.size();
            await().atMost(Duration.ofSeconds(90)).alias("every event at the hub").ignoreExceptions().until(() -> stored(hubClient) >= expected);
            System.out.printf("the hub holds all %d events %d ms after alice's link came back%n", expected,
                    (System.nanoTime() - restored) / 1_000_000);

            List<Archived> archive = read(hubClient);
            assertEverythingOnce(archive, Map.of("alice", (long) aliceEvents.size(), "bob", (long) sample.size()));

            Map<String, Double> byNode = new HashMap<>();
            await().atMost(Duration.ofSeconds(60)).alias("the metrics tool counted every message of both nodes").ignoreExceptions().until(() -> {
                byNode.clear();
                byNode.putAll(messagesByNode(AppProcess.get(metricsPort, "/metrics").body()));
                return byNode.getOrDefault("bob", 0.0) >= messagesInSample
                        && byNode.getOrDefault("alice", 0.0) >= (double) messagesInSample * copies;
            });
            System.out.printf("metrics tool: p2p_message_count by node %s (sample: %d messages; alice sent %d copies)%n", byNode,
                    messagesInSample, copies);
            assertEquals(Set.of("alice", "bob"), byNode.keySet(), "only the two nodes' labels");
            String management = metrics.get("/observe/metrics").body();
            assertTrue(management.contains("peerobserver_bus_dropped_total{reason=\"lost\"} 0.0"), () -> "no event counted as lost: "
                    + management.lines().filter(l -> l.contains("bus_dropped")).toList()
                    + metrics.lines().stream().filter(l -> l.contains("never arrived")).toList());

            replayAWindow(archive);
        }
    }

    /** One event of the archive: who published it, its number, when the hub stored it. */
    private record Archived(String node, long publisher, String subject, long sequence, Instant stored, Event event) {
    }

    /** A cluster that just lost a server takes a while to elect the stream's new leader, as ArchiveReader allows too. */
    private static final JetStreamOptions PATIENT = JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(30)).build();

    private static long stored(Connection c) throws Exception {
        return c.jetStreamManagement(PATIENT).getStreamInfo("EVENTS").getStreamState().getMsgCount();
    }

    private static List<Archived> read(Connection c) throws Exception {
        List<Archived> all = new ArrayList<>();
        // nats-server before 2.9.12 (Debian 12 has 2.9.10) may place the new consumer on the killed server, one time
        // in three, and the request goes unanswered: ask again, as ArchiveReader does
        JetStreamOptions creating = JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(10)).build();
        IterableConsumer consumer = await().atMost(Duration.ofSeconds(120)).alias("an ordered consumer on the archive").ignoreExceptions()
                .until(() -> c.getStreamContext("EVENTS", creating).createOrderedConsumer(new OrderedConsumerConfiguration()).iterate(),
                        Objects::nonNull);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline) {
                Message m = consumer.nextMessage(Duration.ofSeconds(5));
                if (m == null) {
                    // a cluster electing a leader may pause delivery: done only when all the stream holds was read
                    if (all.size() >= stored(c)) {
                        break;
                    }
                    continue;
                }
                NatsPayload.Decoded d = NatsPayload.decode(m.getData());
                all.add(new Archived(d.node(), d.publisher(), m.getSubject(), d.sequence(), m.metaData().timestamp().toInstant(),
                        d.event()));
                if (m.metaData().pendingCount() == 0) {
                    break;
                }
            }
        } finally {
            consumer.stop();
        }
        return all;
    }

    /** Per node the expected count, and per publisher and subject the numbers 1, 2, 3, ... each once. */
    private static void assertEverythingOnce(List<Archived> archive, Map<String, Long> expected) {
        Map<String, Long> byNode = new TreeMap<>();
        Map<String, Long> last = new HashMap<>();
        for (Archived a : archive) {
            byNode.merge(a.node(), 1L, Long::sum);
            String key = a.publisher() + " " + a.subject();
            long before = last.getOrDefault(key, 0L);
            assertEquals(before + 1, a.sequence(), a.node() + " " + a.subject() + ": number after " + before);
            last.put(key, a.sequence());
        }
        assertEquals(new TreeMap<>(expected), byNode);
    }

    private static Map<String, Double> messagesByNode(String exposition) {
        Map<String, Double> byNode = new TreeMap<>();
        Matcher m = SAMPLE.matcher(exposition);
        while (m.find()) {
            Matcher node = Pattern.compile("node=\"([^\"]*)\"").matcher(m.group(1));
            byNode.merge(node.find() ? node.group(1) : "", Double.parseDouble(m.group(2)), Double::sum);
        }
        return byNode;
    }

    /**
     * {@code replay --archive} of alice's events in a window of the archive, into the record tool in the
     * same process: the capture it writes holds exactly the archive's events of that window, in order.
     */
    private static void replayAWindow(List<Archived> archive) throws Exception {
        List<Archived> alices = archive.stream().filter(a -> a.node().equals("alice")).toList();
        Instant from = alices.get(alices.size() / 3).stored();
        Instant to = alices.get(alices.size() / 3 + 20_000).stored();
        List<Event> expected = archive.stream().filter(a -> a.node().equals("alice"))
                .filter(a -> !a.stored().isBefore(from) && !a.stored().isAfter(to)).map(Archived::event).toList();
        Path captures = Files.createDirectories(dir.resolve("captures"));
        AppProcess replay = start(Map.of("REPLAY_EXIT_AT_END", "true"), "all", "--extractors", "replay", "--tools", "record",
                "--archive", hub.hubUrls(), "--from", from.toString(), "--to", to.toString(), "--node", "alice",
                "--record-dir", captures.toString(), "--no-gzip");
        assertEquals(0, replay.waitFor(START), () -> "the replay of the archive ended normally: " + replay.lines());
        List<Event> recorded = new ArrayList<>();
        try (Stream<Path> files = Files.list(captures)) {
            for (Path f : files.sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    for (Event e; (e = Event.parseDelimitedFrom(in)) != null; ) {
                        recorded.add(e);
                    }
                }
            }
        }
        System.out.printf("replay of the archive from %s to %s, node alice: %d events recorded, %d in the archive%n", from, to,
                recorded.size(), expected.size());
        assertEquals(expected.size(), recorded.size());
        assertEquals(expected, recorded);
    }
}
