package org.peerobserver.tool.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.peerobserver.event.EventKind;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.rpc.PeerInfo;
import org.peerobserver.proto.rpc.PeerInfos;
import org.peerobserver.proto.rpc.rpc;
import org.peerobserver.testing.SampleCapture;
import org.peerobserver.testing.SampleEvents;

/**
 * Not a test: how many events per second the metrics tool absorbs on one thread, and how long a
 * scrape takes with 125 peers in getpeerinfo. Run it with docs/metrics.md's command.
 */
public final class MetricsBenchmark {
    private MetricsBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        MetricsTool tool = new MetricsTool();
        tool.init(null);
        List<Event> events = SampleCapture.events();
        String[] subjects = events.stream().map(e -> EventKind.of(e).subject()).toArray(String[]::new);

        for (int warm = 0; warm < rounds / 5; warm++) {
            feed(tool, events, subjects);
        }
        long start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            feed(tool, events, subjects);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("absorbed %,d events in %.2f s: %,.0f events/s on one thread%n",
                (long) rounds * events.size(), seconds, rounds * events.size() / seconds);

        tool.record(peerInfos(125), "rpc", "bench");
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

    private static void feed(MetricsTool tool, List<Event> events, String[] subjects) {
        for (int i = 0; i < subjects.length; i++) {
            tool.record(events.get(i), subjects[i], "bench");
        }
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
