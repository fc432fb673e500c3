package org.peerobserver.tool.alerts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.camel.Handler;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.Alert;
import org.peerobserver.proto.rpc.PeerInfo;

/**
 * {@code ping_spike}: a ping over {@code factor} times its own baseline. Pings are each peer's ping time from
 * getpeerinfo (and their median across the node's peers), and the P2P extractor's own pings of the node. The
 * baseline is a moving average of the pings that were no spike, taken after {@code minSamples} of them; one
 * alert per spike, the next only after a ping below the bar again.
 */
public class PingDetector {
    /** Weight of a new ping in the baseline. */
    private static final double ALPHA = 0.1;

    private double factor = 5;
    private int minSamples = 5;
    private int maxKeys = 10_000;

    private BoundedState<Baseline> baselines;

    private static final class Baseline {
        double mean;
        int samples;
        boolean spiking;
    }

    @Handler
    public synchronized List<ReceivedEvent> check(List<ReceivedEvent> events) {
        if (baselines == null) {
            baselines = new BoundedState<>("ping_spike", maxKeys);
        }
        List<ReceivedEvent> alerts = new ArrayList<>();
        for (ReceivedEvent e : events) {
            Event event = e.event();
            if (event.hasP2PExtractor() && event.getP2PExtractor().hasPingDuration()) {
                sample(e, "p2p-extractor", -1, "", event.getP2PExtractor().getPingDuration().getDuration() / 1e9, alerts);
            } else if (event.hasRpcExtractor() && event.getRpcExtractor().hasPeerInfos()) {
                List<PeerInfo> peers = event.getRpcExtractor().getPeerInfos().getInfosList();
                double[] pings = peers.stream().mapToDouble(PeerInfo::getPingTime).filter(p -> p > 0).sorted().toArray();
                for (PeerInfo p : peers) {
                    if (p.getPingTime() > 0) {
                        sample(e, "peer " + p.getId(), p.getId(), p.getAddress(), p.getPingTime(), alerts);
                    }
                }
                if (pings.length > 0) {
                    sample(e, "median", -1, "", median(pings), alerts);
                }
            }
        }
        return alerts;
    }

    private void sample(ReceivedEvent e, String key, long peer, String address, double seconds, List<ReceivedEvent> alerts) {
        Baseline b = baselines.get(Alerts.node(e) + " " + key, k -> new Baseline());
        boolean spike = b.samples >= minSamples && seconds > factor * b.mean;
        if (spike && !b.spiking) {
            Alert.Builder a = Alerts.alert("ping_spike", "warning", Alerts.node(e), key, String.format(Locale.ROOT,
                    "ping of %s %.3f s, %.1f times its baseline of %.3f s", key, seconds, seconds / b.mean, b.mean))
                    .setValue(seconds).setThreshold(factor * b.mean);
            if (peer >= 0) {
                a.addPeerIds(peer).addAddresses(address);
            }
            alerts.add(Alerts.event(a, e.event().getTimestamp()));
        }
        b.spiking = spike;
        if (!spike) {
            b.mean = b.samples == 0 ? seconds : b.mean + ALPHA * (seconds - b.mean);
            b.samples++;
        }
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** A ping over this many times its baseline is a spike. */
    public void setFactor(double factor) {
        if (!(factor > 1)) {
            throw new IllegalArgumentException("the ping spike factor must be over 1, not " + factor);
        }
        this.factor = factor;
    }

    public void setMinSamples(int minSamples) {
        this.minSamples = minSamples;
    }

    public void setMaxKeys(int maxKeys) {
        this.maxKeys = maxKeys;
    }
}
