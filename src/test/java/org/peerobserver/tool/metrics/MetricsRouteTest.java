package org.peerobserver.tool.metrics;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.peerobserver.bitcoin.IpLists;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.peerobserver.bus.BusComponent;
import org.peerobserver.proto.ebpf.connection.Connection;
import org.peerobserver.proto.ebpf.connection.ConnectionEvent;
import org.peerobserver.proto.ebpf.connection.OutboundConnection;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.primitives.ConnType;
import org.peerobserver.support.prometheus.TextRegistry;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.Promtool;
import org.peerobserver.testing.SampleCapture;
import org.peerobserver.testing.SampleEvents;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metrics tool's YAML route on the in-JVM bus, scraped over HTTP like Prometheus does. */
class MetricsRouteTest extends AppTestSupport {
    private static final Path DASHBOARDS = Path.of("docker/grafana/dashboards");

    @Override
    protected Properties settings() {
        return props("tools", "metrics", "metrics.address", "127.0.0.1:0", "camel.component.bus.configuration.node", "test-node");
    }

    private String get(String path) throws Exception {
        return new Scraper(context).get(path);
    }

    private void publishAndAwait(List<Event> events) throws Exception {
        events.forEach(e -> template.sendBody("bus:publish", e));
        await().atMost(Duration.ofSeconds(20)).until(() -> received(get("/metrics")) == events.size());
    }

    private static long received(String exposition) {
        return exposition.lines().filter(l -> l.startsWith("peerobserver_events_received_total{"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void sampleReplayPassesPromtoolAndFeedsEveryDashboardQuery() throws Exception {
        List<Event> events = SampleCapture.events();
        publishAndAwait(events);
        String scrape = get("/metrics");
        assertEquals(scrape.replaceAll("peerobserver_event_age_seconds.*\n", ""),
                get("/").replaceAll("peerobserver_event_age_seconds.*\n", ""), "every path serves the exposition");

        assertPromtoolAccepts(scrape);

        Set<String> names = new TreeSet<>();
        scrape.lines().filter(l -> !l.startsWith("#")).forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        // the bus's own families, which every process serves on its management port (peerobserver_bus_*)
        PrometheusMeterRegistry bus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        context.getComponent("bus", BusComponent.class).getStatistics().bindTo(bus);
        bus.scrape().lines().filter(l -> !l.startsWith("#")).forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        List<Path> files;
        try (Stream<Path> list = Files.list(DASHBOARDS)) {
            // fibre.json shows the FIBRE exporter's metrics (FibreExporterRouteTest checks it)
            files = list.filter(p -> p.toString().endsWith(".json") && !p.endsWith("fibre.json")).sorted().toList();
        }
        assertEquals(List.of("addr-relay.json", "compact-blocks.json", "connections.json", "mempool.json", "pings.json",
                "stalling.json", "traffic.json", "validation.json"), files.stream().map(p -> p.getFileName().toString()).toList());
        Pattern metric = Pattern.compile("peerobserver_[A-Za-z0-9_]+");
        List<String> missing = new ArrayList<>();
        for (Path file : files) {
            JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
            assertTrue(dashboard.findValuesAsText("name").contains("node"), file + " has a node variable");
            // annotations mark alerts, which the sample does not raise (AlertCountTest scrapes their counter)
            ((ObjectNode) dashboard).remove("annotations");
            List<String> queries = new ArrayList<>(dashboard.findValuesAsText("expr"));
            queries.addAll(dashboard.findValuesAsText("definition"));
            assertFalse(queries.isEmpty(), file.toString());
            for (String q : queries) {
                Matcher m = metric.matcher(q);
                while (m.find()) {
                    if (!names.contains(m.group())) {
                        missing.add(file.getFileName() + ": " + m.group());
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "dashboard metrics absent from a scrape after the sample replay");
    }

    /**
     * promtool parses the whole scrape (a format error exits 1). Its naming lints (exit 3) may only
     * concern upstream's families, whose names we must keep; our own additions must be clean.
     */
    private static void assertPromtoolAccepts(String scrape) throws IOException, InterruptedException {
        TextRegistry upstream = UpstreamMetrics.registry(false, 1, 1);
        new UpstreamMetrics(upstream, IpLists.none());
        Set<String> upstreamNames = new TreeSet<>();
        upstream.metrics().forEach(m -> upstreamNames.add(m.name()));
        Promtool promtool = Promtool.check(scrape);
        int rc = promtool.exitCode();
        List<String> other = promtool.output().lines().filter(l -> !upstreamNames.contains(l.split(" ", 2)[0])).toList();
        assertTrue((rc == 0 || rc == 3) && other.isEmpty(), "promtool exit " + rc + ":\n" + promtool.output());
    }

    @Test
    void exactLinesWithTheNodeLabelAndOurAdditions() throws Exception {
        SampleEvents s = new SampleEvents(3, 1_763_769_600_000L);
        Event outbound = s.connection(ConnectionEvent.newBuilder().setOutbound(OutboundConnection.newBuilder()
                .setConn(Connection.newBuilder().setPeerId(4).setAddr("203.0.113.7:8333").setConnType(ConnType.BlockRelayOnly)
                        .setNetwork(1)).setExistingConnections(9)).build());
        Event verack = s.message(4, "203.0.113.7:8333", "verack", true, 0, b -> b.setVerack(true));
        publishAndAwait(List.of(outbound, verack, verack));
        List<String> lines = Arrays.asList(get("/metrics").split("\n"));
        for (String expected : List.of(
                "# TYPE peerobserver_conn_outbound counter",
                "peerobserver_conn_outbound{node=\"test-node\"} 1",
                "peerobserver_conn_outbound_current{node=\"test-node\"} 9",
                "peerobserver_conn_outbound_network{network=\"1\",node=\"test-node\"} 1",
                "peerobserver_conn_inbound{node=\"test-node\"} 0",
                "peerobserver_p2p_message_count{connection_type=\"2\",direction=\"inbound\",message=\"verack\",node=\"test-node\"} 2",
                "peerobserver_p2p_message_bytes{connection_type=\"2\",direction=\"inbound\",message=\"verack\",node=\"test-node\"} 0",
                "peerobserver_events_received_total{subject=\"netconn\"} 1.0",
                "peerobserver_events_received_total{subject=\"netmsg\"} 2.0",
                "peerobserver_event_age_seconds_count 3")) {
            assertTrue(lines.contains(expected), () -> "missing: " + expected + "\n" + String.join("\n", lines));
        }
        // the bus's drops have one name, the bus's own on the management port (peerobserver_bus_dropped_total)
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("peerobserver_event_decode_errors")
                || l.startsWith("peerobserver_events_dropped_total{reason=\"subscriber_overflow\"}")), String.join("\n", lines));
        assertEquals(405, new Scraper(context).status(HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.ofString("x")),
                "/metrics"));
    }
}
