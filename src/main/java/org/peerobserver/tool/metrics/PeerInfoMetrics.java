package org.peerobserver.tool.metrics;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

import org.peerobserver.support.HostPort;
import org.peerobserver.support.prometheus.Metric;
import org.peerobserver.support.prometheus.TextRegistry;
import org.peerobserver.bitcoin.IpLists;
import org.peerobserver.bitcoin.Addresses;
import org.peerobserver.proto.rpc.PeerInfo;

/** Upstream's {@code rpc_peer_info_*} families, all recomputed from each getpeerinfo snapshot. */
final class PeerInfoMetrics {
    private static final String P = "rpc_peer_info_";

    private final IpLists lists;
    private final Map<Metric, Predicate<PeerInfo>> counts = new LinkedHashMap<>();
    private final Map<Metric, ToDoubleFunction<PeerInfo>> sums = new LinkedHashMap<>();
    private final Map<Metric, Function<PeerInfo, String>> perValue = new LinkedHashMap<>();
    private final Metric numPeers;
    private final Metric bitprojects;
    private final Metric inflightHeights;
    private final Metric pingMedian;
    private final Metric pingMean;
    private final Metric minpingMedian;
    private final Metric minpingMean;
    private final Metric diversity;
    private final Metric[] invtosend;
    private final Metric[] cpuload;

    PeerInfoMetrics(TextRegistry r, IpLists lists) {
        this.lists = lists;
        numPeers = r.gauge(P + "num_peers", "Connected peers");
        count(r, "list_peers_gmax_ban", "Peers on gmax's ban list", p -> lists.gmaxBan().contains(host(p)));
        count(r, "list_peers_monero_ban", "Peers on the Monero ban list", p -> lists.moneroBan().contains(host(p)));
        count(r, "list_peers_tor_exit", "Peers that are Tor exit nodes", p -> lists.torExits().contains(host(p)));
        count(r, "list_peers_linkinglion", "LinkingLion peers", p -> Addresses.isLinkingLion(host(p)));
        bitprojects = r.gauge(P + "list_peers_bitprojects", "Peers on the bitprojects list", "direction");
        count(r, "addr_ratelimited_peers", "Peers with rate-limited addr entries", p -> p.getAddrRateLimited() != 0);
        sum(r, "addr_ratelimited_total", "Rate-limited addr entries of connected peers",
                p -> UpstreamMetrics.unsigned(p.getAddrRateLimited()));
        sum(r, "addr_processed_total", "Processed addr entries of connected peers",
                p -> UpstreamMetrics.unsigned(p.getAddrProcessed()));
        count(r, "addr_relay_enabled_peers", "Peers we relay addresses with", PeerInfo::getAddrRelayEnabled);
        count(r, "timeoffset_plus10s", "Peers whose clock is over 10 s ahead", p -> p.getTimeOffset() > 10);
        count(r, "timeoffset_minus10s", "Peers whose clock is over 10 s behind", p -> p.getTimeOffset() < -10);
        count(r, "bip152_highbandwidth_to", "Peers we selected as BIP152 high-bandwidth", PeerInfo::getBip152HbTo);
        count(r, "bip152_highbandwidth_from", "Peers that selected us as BIP152 high-bandwidth",
                PeerInfo::getBip152HbFrom);
        count(r, "inflight_block_peers", "Peers with blocks in flight", p -> p.getInflightCount() > 0);
        inflightHeights = r.gauge(P + "inflight_distinct_blocks_heights", "Distinct heights of blocks in flight");
        count(r, "ping_wait_larger_5_seconds_block_peers", "Peers with a ping outstanding for over 5 s",
                p -> p.getPingWait() > 5.0);
        perValue(r, "transport_protocol_type_peers", "Peers by transport protocol", "transport_protocol_type",
                PeerInfo::getTransportProtocolType);
        perValue(r, "network_peers", "Peers by network", "network", PeerInfo::getNetwork);
        perValue(r, "connection_type_peers", "Peers by connection type", "connection_type", PeerInfo::getConnectionType);
        perValue(r, "protocol_version_peers", "Peers by protocol version", "protocol_version",
                p -> Integer.toUnsignedString(p.getVersion()));
        perValue(r, "asn_peers", "Peers by AS number (asmap)", "ASN",
                p -> p.getMappedAs() == 0 ? null : Integer.toUnsignedString(p.getMappedAs()));
        pingMedian = r.gauge(P + "ping_median", "Median ping of peers in milliseconds");
        pingMean = r.gauge(P + "ping_mean", "Mean ping of peers in milliseconds");
        minpingMedian = r.gauge(P + "minping_median", "Median minimum ping of peers in milliseconds");
        minpingMean = r.gauge(P + "minping_mean", "Mean minimum ping of peers in milliseconds");
        count(r, "sub1satvb_relay", "Transaction-relaying peers accepting fee rates below 1 sat/vB",
                p -> p.getRelayTransactions() && p.getMinfeefilter() < 0.00001
                        && (p.getBytesReceivedPerMessageMap().containsKey("tx")
                        || p.getBytesSentPerMessageMap().containsKey("tx")));
        diversity = r.gauge(P + "connection_divserity_inbound_ipv4",
                "Distinct /16 subnets per inbound IPv4 peer");
        invtosend = summary(r, "invtosend", "inventory queued for transaction-relaying peers");
        cpuload = summary(r, "cpuload", "CPU load of peers");
    }

    private void count(TextRegistry r, String name, String help, Predicate<PeerInfo> which) {
        counts.put(r.gauge(P + name, help), which);
    }

    private void sum(TextRegistry r, String name, String help, ToDoubleFunction<PeerInfo> value) {
        sums.put(r.gauge(P + name, help), value);
    }

    private void perValue(TextRegistry r, String name, String help, String label, Function<PeerInfo, String> value) {
        perValue.put(r.gauge(P + name, help, label), value);
    }

    private static Metric[] summary(TextRegistry r, String name, String what) {
        return Arrays.stream(new String[] {"sum", "max", "min", "median", "mean"})
                .map(s -> r.gauge(P + name + "_" + s, s + " of " + what)).toArray(Metric[]::new);
    }

    void record(List<PeerInfo> peers, String n) {
        numPeers.set(n, peers.size());
        counts.forEach((m, which) -> m.set(n, peers.stream().filter(which).count()));
        sums.forEach((m, value) -> m.set(n, peers.stream().mapToDouble(value).sum()));
        perValue.forEach((m, value) -> {
            Map<String, Integer> perKey = new TreeMap<>();
            for (PeerInfo p : peers) {
                String key = value.apply(p);
                if (key != null) {
                    perKey.merge(key, 1, Integer::sum);
                }
            }
            m.reset(n);
            perKey.forEach((key, count) -> m.set(n, count, key));
        });
        long bitInbound = peers.stream().filter(p -> p.getInbound() && lists.bitprojects().contains(host(p))).count();
        long bitOutbound = peers.stream().filter(p -> !p.getInbound() && lists.bitprojects().contains(host(p))).count();
        bitprojects.set(n, bitInbound, "inbound");
        bitprojects.set(n, bitOutbound, "outbound");
        inflightHeights.set(n, peers.stream().flatMap(p -> p.getInflightList().stream()).distinct().count());
        setMedianMean(pingMedian, pingMean, n, millis(peers, PeerInfo::getPingTime));
        setMedianMean(minpingMedian, minpingMean, n, millis(peers, PeerInfo::getMinimumPing));
        ipv4Diversity(peers, n);
        summarize(invtosend, n, peers.stream().filter(PeerInfo::getRelayTransactions)
                .mapToDouble(p -> UpstreamMetrics.unsigned(p.getInvToSend())).toArray());
        summarize(cpuload, n, peers.stream().mapToDouble(PeerInfo::getCpuLoad).filter(v -> v > 0).toArray());
    }

    private static double[] millis(List<PeerInfo> peers, ToDoubleFunction<PeerInfo> seconds) {
        return peers.stream().mapToDouble(seconds).filter(v -> v > 0).map(v -> v * 1000).toArray();
    }

    private static void setMedianMean(Metric median, Metric mean, String n, double[] values) {
        median.set(n, median(values));
        mean.set(n, mean(values));
    }

    /** Distinct /16s per inbound IPv4 peer; left as it was when there are none, as upstream does. */
    private void ipv4Diversity(List<PeerInfo> peers, String n) {
        Set<String> prefixes = new HashSet<>();
        int count = 0;
        for (PeerInfo p : peers) {
            String[] parts = host(p).split("\\.", -1);
            if (p.getInbound() && p.getNetwork().toLowerCase(Locale.ROOT).equals("ipv4") && parts.length == 4) {
                prefixes.add(parts[0] + "." + parts[1]);
                count++;
            }
        }
        if (count > 0) {
            diversity.set(n, (double) prefixes.size() / count);
        }
    }

    /** Sum, max, min, median and mean; left as they were when there are no values, as upstream does. */
    private static void summarize(Metric[] m, String n, double[] values) {
        if (values.length == 0) {
            return;
        }
        m[0].set(n, Arrays.stream(values).sum());
        m[1].set(n, Arrays.stream(values).max().getAsDouble());
        m[2].set(n, Arrays.stream(values).min().getAsDouble());
        m[3].set(n, median(values));
        m[4].set(n, mean(values));
    }

    static double median(double[] values) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return 0;
        }
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    static double mean(double[] values) {
        return Arrays.stream(values).filter(x -> !Double.isNaN(x)).average().orElse(0);
    }

    private static String host(PeerInfo p) {
        return HostPort.host(p.getAddress());
    }
}
