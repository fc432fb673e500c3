package org.peerobserver.tool.metrics;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.peerobserver.event.EventKind;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.Alert;
import org.peerobserver.proto.ext.Extension;
import org.peerobserver.testing.Promtool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ext.alert events in peerobserver_alerts_total{alert,severity,node}, with the label combinations capped. */
class AlertCountTest {

    private static ReceivedEvent alert(String name, String severity, String node) {
        Event e = Event.newBuilder().setTimestamp(1).setExtension(Extension.newBuilder().setAlert(Alert.newBuilder().setName(name)
                .setSeverity(severity).setNode(node).setKey("k").setSummary("s"))).build();
        return new ReceivedEvent(e, EventKind.of(e), "n1");
    }

    @Test
    void alertEventsAreCountedByAlertSeverityAndNode() throws Exception {
        MetricsTool tool = new MetricsTool();
        tool.setMaxSeriesPerFamily(3);
        tool.setUp();
        tool.recordAll(List.of(alert("inbound_flood", "warning", "alice"), alert("inbound_flood", "warning", "alice"),
                alert("no_block", "critical", "bob"), alert("stale_tip", "critical", ""), alert("fourth_kind", "info", "alice")));
        String out = tool.scrape();
        List<String> lines = Arrays.asList(out.split("\n"));
        for (String line : List.of(
                "peerobserver_alerts_total{alert=\"inbound_flood\",node=\"alice\",severity=\"warning\"} 2.0",
                "peerobserver_alerts_total{alert=\"no_block\",node=\"bob\",severity=\"critical\"} 1.0",
                // no node in the alert: the node of the event
                "peerobserver_alerts_total{alert=\"stale_tip\",node=\"n1\",severity=\"critical\"} 1.0",
                // past the cap of label combinations
                "peerobserver_alerts_total{alert=\"other\",node=\"alice\",severity=\"info\"} 1.0")) {
            assertTrue(lines.contains(line), () -> "missing: " + line + "\n" + out);
        }
        Promtool check = Promtool.check(out);
        assertTrue(check.exitCode() == 0 || check.exitCode() == 3, check.output());
        assertEquals(4, lines.stream().filter(l -> l.startsWith("peerobserver_alerts_total{")).count());
    }
}
