package org.peerobserver.tool.alerts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Handler;
import org.peerobserver.bitcoin.Addresses;
import org.peerobserver.bitcoin.IpLists;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.Alert;

/**
 * Connections with hosts of known spy or scanner ranges: LinkingLion's (built in) and the ban lists the metrics tool
 * also reads (gmax's, Monero's, bitprojects.io's, from the directory of METRICS_IP_LISTS). One alert per host and
 * {@code repeatAfter}, keyed by the list, so a sweep from many hosts of one range is one notification and a summary.
 */
public class SpyRangeDetector {
    private String severity = "warning";
    private String ipListsDirectory = "";
    private Duration repeatAfter = Duration.ofHours(1);
    private int maxKeys = 10_000;

    private IpLists lists;
    /** When each listed host last raised an alert, by node and host. */
    private BoundedState<long[]> alerted;

    @Handler
    public synchronized List<ReceivedEvent> check(List<ReceivedEvent> events) {
        if (lists == null) {
            lists = IpLists.load(ipListsDirectory);
            alerted = new BoundedState<>("spy_range", maxKeys);
        }
        List<ReceivedEvent> alerts = new ArrayList<>();
        for (ReceivedEvent e : events) {
            Event event = e.event();
            String host = EventFacts.host(event);
            String list = host.isEmpty() ? null : listOf(host);
            if (list == null) {
                continue;
            }
            long at = event.getTimestamp();
            long[] last = alerted.get(Alerts.node(e) + " " + host, k -> new long[] {Long.MIN_VALUE});
            if (last[0] != Long.MIN_VALUE && at - last[0] < repeatAfter.toMillis() && at >= last[0]) {
                continue;
            }
            last[0] = at;
            String direction = e.kind().kind().equals("connection.outbound") ? "outbound connection to " : "inbound connection from ";
            Alert.Builder a = Alerts.alert("spy_range", severity, Alerts.node(e), list,
                    direction + host + ", on the " + list + " list").addAddresses(EventFacts.address(event));
            long peer = EventFacts.peerId(event);
            if (peer >= 0) {
                a.addPeerIds(peer);
            }
            alerts.add(Alerts.event(a, at));
        }
        return alerts;
    }

    /** The list {@code host} is on, or null. */
    private String listOf(String host) {
        if (Addresses.isLinkingLion(host)) {
            return "linkinglion";
        }
        if (lists.gmaxBan().contains(host)) {
            return "gmax_banlist";
        }
        if (lists.moneroBan().contains(host)) {
            return "monero_banlist";
        }
        return lists.bitprojects().contains(host) ? "bitprojects" : null;
    }

    public void setSeverity(String severity) {
        this.severity = Severity.check(severity);
    }

    public void setIpListsDirectory(String ipListsDirectory) {
        this.ipListsDirectory = ipListsDirectory;
    }

    /** A listed host raises an alert again only after this long. */
    public void setRepeatAfter(Duration repeatAfter) {
        this.repeatAfter = repeatAfter;
    }

    public void setMaxKeys(int maxKeys) {
        this.maxKeys = maxKeys;
    }
}
