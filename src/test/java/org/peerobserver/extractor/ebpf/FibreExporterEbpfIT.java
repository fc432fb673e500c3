package org.peerobserver.extractor.ebpf;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.peerobserver.tool.fibre.FibreScraper;

/**
 * FIBRE's udp:* tracepoints and validation:block_connected fired by the USDT test target, through
 * the real BPF programs and the ebpf extractor, into the FIBRE exporter: its series have exactly the
 * values the target fired (usdt-target.c's formulas, for event index i = 0..3).
 */
class FibreExporterEbpfIT extends EbpfTestSupport {
    private static final int COUNT = 4;
    private static final String NODE = "node=\"fibre-it\"";

    @Override
    protected Properties extraSettings() {
        return props("camel.component.bitcoin-ebpf.configuration.fibre", "true", "camel.component.bitcoin-ebpf.configuration.messages", "false", "camel.component.bitcoin-ebpf.configuration.connections", "false", "camel.component.bitcoin-ebpf.configuration.mempool", "false",
                "camel.component.bitcoin-ebpf.configuration.utxocache", "false", "tools", "fibre-exporter", "fibre.metrics-port", "0", "fibre.health-port", "0",
                "camel.component.bus.configuration.node", "fibre-it", "camel.metrics.enabled", "true");
    }

    @Test
    void firedUdpProbesShowAsFibreMonitoringsSeries() throws Exception {
        try (UsdtTarget target = UsdtTarget.start("udp:block_race_winner,udp:block_race_time,udp:block_reconstructed,"
                + "udp:block_reconstruction_detail,udp:block_send_start,validation:block_connected", COUNT, 0)) {
            Files.writeString(PID_FILE, target.pid() + "\n");
            assertEquals(6L * COUNT, target.awaitFired());
        }
        FibreScraper scraper = new FibreScraper(context);
        await().atMost(Duration.ofSeconds(20)).until(() -> scraper.metrics().contains("bitcoin_blocks_connected_total{" + NODE + "} 4")
                && scraper.metrics().contains("fibre_blocks_sent_total{" + NODE + "} 4")
                && scraper.metrics().contains("fibre_blocks_reconstructed_total{" + NODE + "} 4"));
        await().atMost(Duration.ofSeconds(10)).until(() -> scraper.metrics().contains("fibre_block_race_wins_total{mechanism=\"bip152_cmpct\"," + NODE + "} 2"));
        String m = scraper.metrics();
        List<String> expected = new ArrayList<>(List.of(
                // block_reconstructed: chunks used 10+i, received 20+i, duration 3000+i us
                "fibre_chunks_used_total{" + NODE + "} 46",
                "fibre_chunks_received_total{" + NODE + "} 86",
                "fibre_block_chunks_used_bucket{" + NODE + ",le=\"10\"} 1",
                "fibre_block_chunks_used_bucket{" + NODE + ",le=\"20\"} 4",
                "fibre_block_reconstruction_duration_seconds_bucket{" + NODE + ",le=\"0.001\"} 0",
                "fibre_block_reconstruction_duration_seconds_bucket{" + NODE + ",le=\"0.005\"} 4",
                "fibre_block_reconstruction_duration_seconds_count{" + NODE + "} 4",
                // block_reconstruction_detail: missing i, missing bytes 2^32+i, from mempool 100+i, all from mempool when i odd
                "fibre_block_missing_tx_count_bucket{" + NODE + ",le=\"0\"} 1",
                "fibre_block_missing_tx_count_bucket{" + NODE + ",le=\"2\"} 3",
                "fibre_block_missing_tx_count_bucket{" + NODE + ",le=\"5\"} 4",
                "fibre_block_missing_tx_bytes_bucket{" + NODE + ",le=\"4000000\"} 0",
                "fibre_block_missing_tx_bytes_count{" + NODE + "} 4",
                "fibre_block_mempool_tx_count_bucket{" + NODE + ",le=\"100\"} 1",
                "fibre_block_mempool_tx_count_bucket{" + NODE + ",le=\"250\"} 4",
                "fibre_block_all_tx_from_mempool_total{" + NODE + "} 2",
                // block_race_winner: FIBRE/UDP for even i, BIP152/CMPCTBLOCK for odd i
                "fibre_block_race_wins_total{mechanism=\"fibre_udp\"," + NODE + "} 2",
                // block_race_time: udp 1e6+i ns for even i, cmpct 2e6+i ns for odd i, never both
                "fibre_block_race_latency_seconds_count{mechanism=\"fibre_udp\"," + NODE + "} 2",
                "fibre_block_race_latency_seconds_sum{mechanism=\"fibre_udp\"," + NODE + "} 0.002000002",
                "fibre_block_race_latency_seconds_sum{mechanism=\"bip152_cmpct\"," + NODE + "} 0.004000004",
                "fibre_races_with_both_total{" + NODE + "} 0",
                // validation:block_connected: 2000+i transactions, 123456789+i ns
                "bitcoin_block_tx_count_bucket{" + NODE + ",le=\"2000\"} 1",
                "bitcoin_block_tx_count_bucket{" + NODE + ",le=\"3000\"} 4",
                "bitcoin_block_connection_duration_seconds_bucket{" + NODE + ",le=\"0.1\"} 0",
                "bitcoin_block_connection_duration_seconds_bucket{" + NODE + ",le=\"0.25\"} 4",
                // as fibre_exporter.py's: probes attached (its 4, block_race_time and block_reconstruction_detail)
                "fibre_exporter_probes_attached 6",
                "fibre_exporter_events_processed_total{event_type=\"block_delivery\"} 4",
                "fibre_exporter_events_processed_total{event_type=\"block_reconstructed\"} 4",
                "fibre_exporter_events_processed_total{event_type=\"block_send_start\"} 4",
                "fibre_exporter_events_processed_total{event_type=\"block_connected\"} 4"));
        for (int i = 0; i < COUNT; i++) {
            var w = FiredValues.expected(Tracepoint.UDP_BLOCK_RACE_WINNER, i).getExtension().getFibre().getBlockRaceWinner();
            if (i % 3 != 0) {   // the peers the target names (the others are "n/a", counted together below)
                // cut to 47 characters, as fibre_exporter.py's char[48] cuts it
                String peer = w.getPeer().substring(0, Math.min(47, w.getPeer().length()));
                expected.add("fibre_block_deliveries_total{mechanism=\"" + (i % 2 == 0 ? "fibre_udp" : "bip152_cmpct")
                        + "\"," + NODE + ",peer=\"" + peer + "\"} 1");
            }
        }
        expected.add("fibre_block_deliveries_total{mechanism=\"bip152_cmpct\"," + NODE + ",peer=\"n/a\"} 1");
        expected.add("fibre_block_deliveries_total{mechanism=\"fibre_udp\"," + NODE + ",peer=\"n/a\"} 1");
        for (String line : expected) {
            assertTrue(m.lines().anyMatch(line::equals), () -> "missing " + line + " in\n" + m);
        }
    }
}
