package org.peerobserver.tool.alerts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.camel.Handler;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.ext.BlockRace;

/**
 * FIBRE's health from the block races the FIBRE exporter publishes (ext.race). {@code fibre_degraded}: compact
 * blocks won more than {@code cmpctPercent} % of the last {@code races} races. {@code fibre_no_udp}: no UDP
 * reconstruction in the last {@code noUdpBlocks} races in a row. Each fires once, and again only after it recovered.
 */
public class FibreDetector {
    private int cmpctPercent = 50;
    private int races = 20;
    private int noUdpBlocks = 6;
    private int maxNodes = 64;

    private BoundedState<Node> nodes;

    private final class Node {
        /** The last {@code races} races, true where a compact block won; a ring. */
        final boolean[] cmpctWon = new boolean[races];
        int seen;
        int withoutUdp;
        boolean degraded;
        boolean noUdp;
    }

    @Handler
    public synchronized List<ReceivedEvent> check(List<ReceivedEvent> events) {
        if (nodes == null) {
            nodes = new BoundedState<>("fibre", maxNodes);
        }
        List<ReceivedEvent> alerts = new ArrayList<>();
        for (ReceivedEvent e : events) {
            if (e.event().hasExtension() && e.event().getExtension().hasRace()) {
                race(e, e.event().getExtension().getRace(), alerts);
            }
        }
        return alerts;
    }

    private void race(ReceivedEvent e, BlockRace race, List<ReceivedEvent> alerts) {
        Node n = nodes.get(Alerts.node(e), k -> new Node());
        long at = e.event().getTimestamp();
        n.cmpctWon[n.seen++ % races] = race.getWinner().equals("cmpctblock");
        if (n.seen >= races) {
            int won = 0;
            for (boolean w : n.cmpctWon) {
                won += w ? 1 : 0;
            }
            double percent = 100.0 * won / races;
            boolean degraded = percent > cmpctPercent;
            if (degraded && !n.degraded) {
                alerts.add(Alerts.event(Alerts.alert("fibre_degraded", "warning", Alerts.node(e), "races", String.format(Locale.ROOT,
                        "compact blocks won %d of the last %d block races (%.0f %%, threshold %d %%)", won, races, percent, cmpctPercent))
                        .setBlockHash(race.getBlockHash()).setValue(percent).setThreshold(cmpctPercent), at));
            }
            n.degraded = degraded;
        }
        n.withoutUdp = race.hasFibreUdp() ? 0 : n.withoutUdp + 1;
        if (n.withoutUdp >= noUdpBlocks && !n.noUdp) {
            alerts.add(Alerts.event(Alerts.alert("fibre_no_udp", "critical", Alerts.node(e), "udp",
                    "no FIBRE UDP reconstruction for the last " + n.withoutUdp + " blocks").setBlockHash(race.getBlockHash())
                    .setValue(n.withoutUdp).setThreshold(noUdpBlocks), at));
        }
        n.noUdp = n.withoutUdp >= noUdpBlocks;
    }

    public void setCmpctPercent(int cmpctPercent) {
        this.cmpctPercent = cmpctPercent;
    }

    /** How many of the last block races the share is taken over. */
    public void setRaces(int races) {
        if (races < 1) {
            throw new IllegalArgumentException("the FIBRE race count must be 1 or more, not " + races);
        }
        this.races = races;
    }

    public void setNoUdpBlocks(int noUdpBlocks) {
        this.noUdpBlocks = noUdpBlocks;
    }

    public void setMaxNodes(int maxNodes) {
        this.maxNodes = maxNodes;
    }
}
