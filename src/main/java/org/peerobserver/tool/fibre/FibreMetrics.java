package org.peerobserver.tool.fibre;

import org.peerobserver.proto.ext.BlockRace;
import org.peerobserver.support.prometheus.Metric;
import org.peerobserver.support.prometheus.TextRegistry;

/**
 * fibre-monitoring's exporter families with its names, types and buckets (reference:
 * tracepoints-fibre.md C.4 and fibre-monitoring's METRICS.md), and our race tracker's
 * {@code peerobserver_block_race*} families. Every series has a {@code node} label. Callers
 * serialize access.
 */
final class FibreMetrics {
    static final double[] SECONDS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};
    static final double[] RACE_LATENCY = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0};
    static final double[] RACE_MARGIN = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0};
    static final double[] CHUNKS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
    static final double[] MISSING_TX = {0, 1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 2000, 5000, 10000};
    static final double[] MISSING_BYTES = {100, 500, 1000, 5000, 10000, 50000, 100000, 250000, 500000, 1000000,
        2000000, 4000000};
    static final double[] MEMPOOL_TX = {0, 1, 10, 50, 100, 250, 500, 1000, 2000, 3000, 5000, 10000};
    static final double[] TX_COUNT = {1, 10, 50, 100, 250, 500, 1000, 2000, 3000, 5000, 10000};
    /** Ours: arrivals of slower mechanisms (inv, full block) can lag by seconds. */
    static final double[] ARRIVAL = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    final TextRegistry registry;
    final Metric blocksReconstructed;
    final Metric reconstructionDuration;
    final Metric chunksUsed;
    final Metric chunksUsedTotal;
    final Metric chunksReceivedTotal;
    final Metric blocksSent;
    final Metric deliveries;
    final Metric raceWins;
    final Metric raceLatency;
    final Metric raceMargin;
    final Metric racesWithBoth;
    final Metric lastBlockHeight;
    final Metric missingTxCount;
    final Metric missingTxBytes;
    final Metric mempoolTxCount;
    final Metric allTxFromMempool;
    final Metric blocksConnected;
    final Metric connectionDuration;
    final Metric blockTxCount;
    final Metric up;
    final Metric startTime;
    final Metric eventsProcessed;
    final Metric errors;
    final Metric info;
    final Metric races;
    final Metric raceTies;
    final Metric ourMargin;
    final Metric arrival;
    final Metric winningPeers;
    final Metric openRaces;
    final Metric closedEarly;
    final Metric lateSightings;

    FibreMetrics(int maxSeriesPerFamily, int maxNodes) {
        TextRegistry r = new TextRegistry("", true, maxSeriesPerFamily, maxNodes);
        registry = r;
        blocksReconstructed = r.counter("fibre_blocks_reconstructed_total", "Total blocks reconstructed via FIBRE/UDP");
        reconstructionDuration = r.histogram("fibre_block_reconstruction_duration_seconds", "Block reconstruction time", SECONDS);
        chunksUsed = r.histogram("fibre_block_chunks_used", "Number of chunks used per block", CHUNKS);
        chunksUsedTotal = r.counter("fibre_chunks_used_total", "Total chunks used");
        chunksReceivedTotal = r.counter("fibre_chunks_received_total", "Total chunks received");
        blocksSent = r.counter("fibre_blocks_sent_total", "Total blocks sent via FIBRE/UDP");
        deliveries = r.counter("fibre_block_deliveries_total", "Block deliveries by mechanism and peer", "mechanism", "peer");
        raceWins = r.counter("fibre_block_race_wins_total", "Block race wins by mechanism", "mechanism");
        raceLatency = r.histogram("fibre_block_race_latency_seconds", "Block race latency by mechanism", RACE_LATENCY,
                "mechanism");
        raceMargin = r.histogram("fibre_race_margin_seconds", "Race margin (how much faster winner was)", RACE_MARGIN,
                "winner");
        racesWithBoth = r.counter("fibre_races_with_both_total", "Races where both mechanisms participated");
        lastBlockHeight = r.gauge("fibre_last_block_height", "Height of most recently processed block");
        missingTxCount = r.histogram("fibre_block_missing_tx_count",
                "Transactions not locally available at FIBRE reconstruction start", MISSING_TX);
        missingTxBytes = r.histogram("fibre_block_missing_tx_bytes",
                "Bytes of transactions not locally available at FIBRE reconstruction start", MISSING_BYTES);
        mempoolTxCount = r.histogram("fibre_block_mempool_tx_count",
                "Transactions satisfied from the local mempool during FIBRE reconstruction", MEMPOOL_TX);
        allTxFromMempool = r.counter("fibre_block_all_tx_from_mempool_total",
                "FIBRE blocks whose non-prefilled transactions all came from the mempool");
        blocksConnected = r.counter("bitcoin_blocks_connected_total", "Total blocks connected to the chain (all delivery paths)");
        connectionDuration = r.histogram("bitcoin_block_connection_duration_seconds", "Time to connect a block to the chain",
                SECONDS);
        blockTxCount = r.histogram("bitcoin_block_tx_count", "Number of transactions per connected block", TX_COUNT);
        // the exporter's own families as fibre_exporter.py has them: no node label
        up = r.toolGauge("fibre_exporter_up", "Whether the FIBRE exporter is running (1 = up, 0 = down)");
        startTime = r.toolGauge("fibre_exporter_start_time_seconds", "Unix timestamp when the exporter started");
        eventsProcessed = r.toolCounter("fibre_exporter_events_processed_total", "Total number of events processed by the exporter",
                "event_type");
        errors = r.toolCounter("fibre_exporter_errors_total", "Total number of errors encountered by the exporter", "error_type");
        info = r.toolGauge("fibre_exporter_info", "Information about the FIBRE exporter", "bitcoind_path", "node_name", "version");
        races = r.counter("peerobserver_block_races_total", "Block races closed, by the mechanism that delivered first",
                "winner");
        raceTies = r.counter("peerobserver_block_race_ties_total", "Block races whose first two mechanisms arrived together");
        ourMargin = r.histogram("peerobserver_block_race_margin_seconds",
                "Time from the winner's arrival to the runner-up's, in races seen more than one way", ARRIVAL, "winner");
        arrival = r.histogram("peerobserver_block_race_arrival_seconds",
                "Each mechanism's first arrival of a block after the block's first sighting", ARRIVAL, "mechanism");
        winningPeers = r.counter("peerobserver_block_race_wins_by_peer_total", "Block races won, by mechanism and peer",
                "mechanism", "peer");
        openRaces = r.gauge("peerobserver_block_races_open", "Block races waiting for their window to pass");
        closedEarly = r.counter("peerobserver_block_races_closed_early_total",
                "Block races closed before their window passed because too many were open");
        lateSightings = r.counter("peerobserver_block_race_late_sightings_total",
                "Sightings of a block whose race had already closed (ignored)");
    }

    /** fibre-monitoring's reading of a FIBRE race winner string. */
    static String mechanism(String winner) {
        if (winner.startsWith("F")) {
            return "fibre_udp";
        }
        return winner.startsWith("B") ? "bip152_cmpct" : "other";
    }

    /** fibre_exporter.py reads the peer into char[48]: its label holds at most 47 characters. */
    static final int PEER_LABEL_LENGTH = 47;

    /** FIBRE's race result: a winner string, its peer, and the height. */
    void raceWinner(String node, String winner, String peer, int height) {
        String m = mechanism(winner);
        raceWins.inc(node, m);
        deliveries.inc(node, m, peer.length() > PEER_LABEL_LENGTH ? peer.substring(0, PEER_LABEL_LENGTH) : peer);
        lastBlockHeight.set(node, height);
    }

    /** FIBRE's race timing, each in seconds, negative when that mechanism did not deliver. */
    void raceTime(String node, int height, double udp, double cmpct) {
        lastBlockHeight.set(node, height);
        if (udp >= 0) {
            raceLatency.observe(node, udp, "fibre_udp");
        }
        if (cmpct >= 0) {
            raceLatency.observe(node, cmpct, "bip152_cmpct");
        }
        if (udp >= 0 && cmpct >= 0) {
            racesWithBoth.inc(node);
            boolean udpFirst = udp <= cmpct;
            raceMargin.observe(node, Math.abs(cmpct - udp), udpFirst ? "fibre_udp" : "bip152_cmpct");
        }
    }

    /** A block reconstructed from UDP chunks. */
    void reconstructed(String node, double seconds, long used, long received) {
        blocksReconstructed.inc(node);
        reconstructionDuration.observe(node, seconds);
        chunksUsed.observe(node, used);
        chunksUsedTotal.add(node, used);
        chunksReceivedTotal.add(node, received);
    }

    /** A block connected; connection time and transactions only when known (positive). */
    void connected(String node, int height, double seconds, long transactions) {
        blocksConnected.inc(node);
        lastBlockHeight.set(node, height);
        if (seconds > 0) {
            connectionDuration.observe(node, seconds);
        }
        if (transactions > 0) {
            blockTxCount.observe(node, transactions);
        }
    }

    /** A closed race of our tracker. */
    void race(String node, BlockRace race) {
        races.inc(node, race.getWinner());
        winningPeers.inc(node, race.getWinner(), race.hasWinnerPeer() ? race.getWinnerPeer() : "n/a");
        if (race.getTie()) {
            raceTies.inc(node);
        }
        if (race.hasMarginMs()) {
            ourMargin.observe(node, race.getMarginMs() / 1000, race.getWinner());
        }
        arrival(node, Mechanism.FIBRE_UDP, race.hasFibreUdp(), race.getFibreUdp().getAfterMs());
        arrival(node, Mechanism.CMPCTBLOCK, race.hasCmpctblock(), race.getCmpctblock().getAfterMs());
        arrival(node, Mechanism.HEADERS, race.hasHeaders(), race.getHeaders().getAfterMs());
        arrival(node, Mechanism.INV, race.hasInv(), race.getInv().getAfterMs());
        arrival(node, Mechanism.BLOCK, race.hasBlock(), race.getBlock().getAfterMs());
    }

    private void arrival(String node, Mechanism m, boolean present, double afterMs) {
        if (present) {
            arrival.observe(node, afterMs / 1000, m.label);
        }
    }
}
