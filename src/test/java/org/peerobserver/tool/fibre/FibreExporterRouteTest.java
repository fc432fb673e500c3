package org.peerobserver.tool.fibre;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.google.protobuf.ByteString;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.peerobserver.event.EventHeaders;
import org.peerobserver.proto.ebpf.ebpf;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.validation.BlockConnected;
import org.peerobserver.proto.ebpf.validation.ValidationEvent;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.BlockRace;
import org.peerobserver.proto.ext.Extension;
import org.peerobserver.proto.ext.Fibre;
import org.peerobserver.proto.ext.FibreBlockRace;
import org.peerobserver.proto.ext.FibreBlockReconstructed;
import org.peerobserver.proto.ext.LogMatch;
import org.peerobserver.proto.ext.UdpBlockReconstructionDetail;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.Promtool;

/** The exporter's YAML route on the in-JVM bus: events in, exact series out, races on ext.race. */
class FibreExporterRouteTest extends AppTestSupport {
    private static final Collection<Event> RACES = new ConcurrentLinkedQueue<>();

    @Override
    protected Properties settings() {
        return props("tools", "fibre-exporter", "fibre.metrics-port", "0", "fibre.health-port", "0",
                "fibre.race-window", "0.3", "camel.component.bus.configuration.node", "test-node");
    }

    @BeforeEach
    void subscribe() throws Exception {
        RACES.clear();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:subscribe?subjects=ext.race").routeId("test-races")
                        .process(e -> RACES.add(e.getIn().getBody(Event.class)));
            }
        });
    }

    private void publish(Event.Builder e) {
        template.sendBodyAndHeader("bus:publish", e.setTimestamp(System.currentTimeMillis()).build(), EventHeaders.NODE, "alice");
    }

    private static Event.Builder log(LogMatch.Builder m) {
        return Event.newBuilder().setExtension(Extension.newBuilder().setLog(m.setLogTimestamp(1)));
    }

    private void awaitLine(String line) {
        await().atMost(Duration.ofSeconds(10)).until(() -> new FibreScraper(context).metrics().lines().anyMatch(line::equals));
    }

    @Test
    void logLinesAndBlockConnectionsGiveFibreMonitoringsSeries() throws Exception {
        publish(log(LogMatch.newBuilder().setFibreBlockReconstructed(FibreBlockReconstructed.newBuilder()
                .setBlockHash("00".repeat(32)).setSource("198.51.100.1:8333").setChunksUsed(7).setDurationMs(42.5)
                .setChunksReceived(9).setPeers(2))));
        publish(log(LogMatch.newBuilder().setFibreBlockRace(FibreBlockRace.newBuilder().setBlockHash("00".repeat(32))
                .setHeight(900_001).setWinner("BIP152/CMPCTBLOCK").setWinnerPeer("203.0.113.9:8333").setUdpMs(30)
                .setCmpctMs(12.5))));
        publish(Event.newBuilder().setEbpfExtractor(ebpf.newBuilder().setValidation(ValidationEvent.newBuilder()
                .setBlockConnected(BlockConnected.newBuilder().setHash(ByteString.copyFrom(new byte[32])).setHeight(900_002)
                        .setTransactions(3000).setInputs(1).setSigops(1).setConnectionTime(75_000_000)))));
        awaitLine("bitcoin_blocks_connected_total{node=\"alice\"} 1");
        String m = new FibreScraper(context).metrics();
        for (String line : List.of(
                "fibre_blocks_reconstructed_total{node=\"alice\"} 1",
                "fibre_block_reconstruction_duration_seconds_bucket{node=\"alice\",le=\"0.025\"} 0",
                "fibre_block_reconstruction_duration_seconds_bucket{node=\"alice\",le=\"0.05\"} 1",
                "fibre_block_reconstruction_duration_seconds_sum{node=\"alice\"} 0.0425",
                "fibre_block_chunks_used_bucket{node=\"alice\",le=\"5\"} 0",
                "fibre_block_chunks_used_bucket{node=\"alice\",le=\"10\"} 1",
                "fibre_chunks_used_total{node=\"alice\"} 7",
                "fibre_chunks_received_total{node=\"alice\"} 9",
                "fibre_block_race_wins_total{mechanism=\"bip152_cmpct\",node=\"alice\"} 1",
                "fibre_block_deliveries_total{mechanism=\"bip152_cmpct\",node=\"alice\",peer=\"203.0.113.9:8333\"} 1",
                "fibre_block_race_latency_seconds_sum{mechanism=\"fibre_udp\",node=\"alice\"} 0.03",
                "fibre_block_race_latency_seconds_sum{mechanism=\"bip152_cmpct\",node=\"alice\"} 0.0125",
                "fibre_races_with_both_total{node=\"alice\"} 1",
                "fibre_race_margin_seconds_bucket{node=\"alice\",winner=\"bip152_cmpct\",le=\"0.025\"} 1",
                "bitcoin_block_connection_duration_seconds_bucket{node=\"alice\",le=\"0.05\"} 0",
                "bitcoin_block_connection_duration_seconds_bucket{node=\"alice\",le=\"0.1\"} 1",
                "bitcoin_block_tx_count_bucket{node=\"alice\",le=\"3000\"} 1",
                "fibre_last_block_height{node=\"alice\"} 900002",
                // the exporter's own families as fibre_exporter.py's: no node label, its node name in the info
                "fibre_exporter_up 1",
                "fibre_exporter_events_processed_total{event_type=\"log_block_race\"} 1",
                "fibre_exporter_info{bitcoind_path=\"/usr/local/bin/bitcoind\",node_name=\"test-node\",version=\"dev\"} 1",
                "fibre_exporter_probes_attached 0")) {
            assertTrue(m.lines().anyMatch(line::equals), () -> "missing " + line + " in\n" + m);
        }
    }

    @Test
    void rawP2pMessagesRaceAndThePublishedEventNamesTheWinner() throws Exception {
        MessageEvent cmpct = BlockSightingsTest.raw("cmpctblock", BlockSightingsTest.GENESIS_HEADER + "0000000000000000" + "00" + "00");
        MessageEvent headers = BlockSightingsTest.raw("headers", "01" + BlockSightingsTest.GENESIS_HEADER + "00").toBuilder()
                .setMeta(cmpct.getMeta().toBuilder().setAddr("10.0.0.2:8333").setCommand("headers")).build();
        long t = System.currentTimeMillis();
        template.sendBodyAndHeader("bus:publish", Event.newBuilder().setTimestamp(t).setEbpfExtractor(
                ebpf.newBuilder().setMessage(cmpct)).build(), EventHeaders.NODE, "alice");
        template.sendBodyAndHeader("bus:publish", Event.newBuilder().setTimestamp(t + 40).setEbpfExtractor(
                ebpf.newBuilder().setMessage(headers)).build(), EventHeaders.NODE, "alice");
        // no further event comes: the route's timer closes the race once its window has passed
        await().atMost(Duration.ofSeconds(10)).until(() -> !genesisRaces().isEmpty());
        BlockRace race = genesisRaces().get(0);
        assertEquals(BlockSightingsTest.GENESIS_HASH, race.getBlockHash());
        assertEquals("cmpctblock", race.getWinner());
        assertEquals("10.0.0.1:8333", race.getWinnerPeer());
        assertEquals("headers", race.getRunnerUp());
        assertEquals(40, race.getMarginMs());
        assertFalse(race.getTie());
        awaitLine("peerobserver_block_races_total{node=\"alice\",winner=\"cmpctblock\"} 1");
        awaitLine("peerobserver_block_race_margin_seconds_bucket{node=\"alice\",winner=\"cmpctblock\",le=\"0.05\"} 1");
        awaitLine("peerobserver_block_races_open{node=\"test-node\"} 0");
        assertEquals(1, genesisRaces().size());
    }

    private static List<BlockRace> genesisRaces() {
        return RACES.stream().map(e -> e.getExtension().getRace())
                .filter(r -> r.getBlockHash().equals(BlockSightingsTest.GENESIS_HASH)).toList();
    }

    @Test
    void everyDashboardQueryFindsItsSeriesAndPromtoolAcceptsTheScrape() throws Exception {
        logLinesAndBlockConnectionsGiveFibreMonitoringsSeries();
        publish(Event.newBuilder().setExtension(Extension.newBuilder().setFibre(Fibre.newBuilder()
                .setBlockReconstructionDetail(UdpBlockReconstructionDetail.newBuilder().setHash("11".repeat(32))
                        .setHeight(900_001).setMissingTxCount(3).setMissingTxBytes(900).setMempoolTxCount(2500)
                        .setTotalTxCount(2504).setAllTxFromMempool(false)))));
        rawP2pMessagesRaceAndThePublishedEventNamesTheWinner();
        awaitLine("fibre_block_missing_tx_count_count{node=\"alice\"} 1");
        String scrape = new FibreScraper(context).metrics();
        Promtool promtool = Promtool.check(scrape);
        assertEquals(0, promtool.exitCode(), promtool.output());

        Set<String> names = new TreeSet<>();
        scrape.lines().filter(l -> !l.startsWith("#")).forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("docker/grafana/dashboards/fibre.json").toFile());
        assertTrue(dashboard.findValuesAsText("name").contains("node"), "a node variable");
        // the alert annotations query the metrics tool's alert counter, not this exporter (MonitoringConfigTest checks them)
        ((ObjectNode) dashboard).remove("annotations");
        List<String> queries = new ArrayList<>(dashboard.findValuesAsText("expr"));
        queries.addAll(dashboard.findValuesAsText("definition"));
        List<String> missing = new ArrayList<>();
        for (String q : queries) {
            Matcher m = Pattern.compile("(fibre|bitcoin|peerobserver)_[a-z0-9_]+").matcher(q);
            while (m.find()) {
                if (!names.contains(m.group())) {
                    missing.add(m.group());
                }
            }
        }
        assertTrue(queries.size() > 10, queries::toString);
        assertEquals(List.of(), missing, "dashboard metrics absent from the scrape");
    }

    @Test
    void healthAndReadinessAnswerAndOtherPathsDoNot() throws Exception {
        FibreScraper s = new FibreScraper(context);
        assertEquals(200, s.health("/health").statusCode());
        assertEquals("OK", s.health("/health").body());
        assertEquals(200, s.health("/ready").statusCode());
        assertEquals(404, s.health("/metrics").statusCode());
    }
}
