package org.peerobserver.tool.metrics;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.peerobserver.event.EventKind;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.ebpf.ebpf;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.message.Metadata;
import org.peerobserver.proto.ebpf.message.Ping;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.primitives.ConnType;
import org.peerobserver.proto.rpc.PeerInfo;
import org.peerobserver.proto.rpc.PeerInfos;
import org.peerobserver.proto.rpc.rpc;
import org.peerobserver.testing.SampleCapture;
import org.peerobserver.testing.SampleEvents;

/**
 * Not a test: how many events per CPU second the metrics tool absorbs on one thread, from the sample
 * capture one by one and from batches of small pings as the route hands them over, and how long a
 * scrape takes with 125 peers in getpeerinfo. Run it with docs/metrics.md's command.
 */
public final class MetricsBenchmark {
    private static final int BATCH = 500;
    private static final int PEERS = 300;

    private MetricsBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        MetricsTool tool = new MetricsTool();
        tool.setUp();
        List<ReceivedEvent> events = SampleCapture.events().stream().map(e -> new ReceivedEvent(e, EventKind.of(e), "bench"))
                .toList();

        long[] nanos = new long[rounds];
        for (int r = -rounds / 5; r < rounds; r++) {
            long t = cpuNanos();
            tool.recordAll(events);
            if (r >= 0) {
                nanos[r] = cpuNanos() - t;
            }
        }
        System.out.printf("record of the sample's %d events, %,d times: %,.0f events/s on one thread%n",
                events.size(), rounds, events.size() / median(nanos));
        pingBatches(tool, rounds);

        Event peers = peerInfos(125);
        tool.recordAll(List.of(new ReceivedEvent(peers, EventKind.of(peers), "bench")));
        double[] millis = new double[200];
        int bytes = 0;
        for (int i = -50; i < millis.length; i++) {
            long t = System.nanoTime();
            bytes = tool.scrape().length();
            if (i >= 0) {
                millis[i] = (System.nanoTime() - t) / 1e6;
            }
        }
        Arrays.sort(millis);
        System.out.printf("scrape with 125 peers: %,d bytes, median %.2f ms, p99 %.2f ms%n", bytes,
                millis[millis.length / 2], millis[millis.length * 99 / 100]);
    }

    /** The CPU time of this thread: on a shared machine, the wall time counts the other processes too. GC is not counted. */
    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /**
     * recordAll with batches of inbound pings from {@value #PEERS} peers. Each batch is parsed from
     * bytes (untimed) as a subscriber does, so its strings are fresh, as they are in the tool.
     */
    private static void pingBatches(MetricsTool tool, int rounds) {
        byte[][] batches = new byte[20][];
        for (int b = 0; b < batches.length; b++) {
            batches[b] = pingBatch(b * BATCH);
        }
        long[] nanos = new long[rounds * 4];
        for (int i = -nanos.length / 5; i < nanos.length; i++) {
            List<ReceivedEvent> batch = parse(batches[Math.floorMod(i, batches.length)]);
            long t = cpuNanos();
            tool.recordAll(batch);
            if (i >= 0) {
                nanos[i] = cpuNanos() - t;
            }
        }
        System.out.printf("recordAll of %d pings, %,d times: %,.0f events/s on one thread%n", BATCH, nanos.length,
                BATCH / median(nanos));
    }

    /** The median in seconds: a round that another process disturbed (caches, a shared core) does not count. */
    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e9;
    }

    /** {@value #BATCH} delimited ping events, as the ebpf extractor publishes them. */
    private static byte[] pingBatch(int first) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = first; i < first + BATCH; i++) {
            int peer = i % PEERS;
            Metadata meta = Metadata.newBuilder().setPeerId(peer).setAddr("10." + peer / 200 + "." + peer % 200 + ".7:8333")
                    .setConnType(peer % 4 == 0 ? ConnType.OutboundFullRelay : ConnType.Inbound).setCommand("ping")
                    .setInbound(true).setSize(8).build();
            Event e = Event.newBuilder().setTimestamp(System.currentTimeMillis()).setEbpfExtractor(ebpf.newBuilder()
                    .setMessage(MessageEvent.newBuilder().setMeta(meta).setPing(Ping.newBuilder().setValue(i * 7919L))))
                    .build();
            try {
                e.writeDelimitedTo(out);
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }
        return out.toByteArray();
    }

    private static List<ReceivedEvent> parse(byte[] batch) {
        ByteArrayInputStream in = new ByteArrayInputStream(batch);
        List<ReceivedEvent> events = new ArrayList<>(BATCH);
        try {
            for (Event e; (e = Event.parseDelimitedFrom(in)) != null; ) {
                // the node name is a new string per event, as NATS headers give it
                events.add(new ReceivedEvent(e, EventKind.of(e), new String("bench")));
            }
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return events;
    }

    /** A getpeerinfo snapshot of {@code n} varied peers, built from the sample's peer. */
    private static Event peerInfos(int n) {
        PeerInfo template = SampleCapture.events().stream().filter(e -> e.hasRpcExtractor()
                && e.getRpcExtractor().hasPeerInfos()).findFirst().orElseThrow().getRpcExtractor().getPeerInfos().getInfos(0);
        List<PeerInfo> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            peers.add(template.toBuilder().setId(i).setAddress("10." + (i % 50) + "." + i + ".1:8333").setInbound(i % 3 != 0)
                    .setMappedAs(64_000 + i % 40).setVersion(70_015 + i % 2).setPingTime(0.01 + i / 1000.0)
                    .setConnectionType(i % 3 == 0 ? "outbound-full-relay" : "inbound").setInvToSend(i).build());
        }
        return new SampleEvents(1, SampleCapture.START_MILLIS).rpc(rpc.newBuilder()
                .setPeerInfos(PeerInfos.newBuilder().addAllInfos(peers)).build());
    }
}
