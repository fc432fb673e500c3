package org.peerobserver.tool.alerts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.camel.Handler;
import org.peerobserver.bitcoin.Hashes;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.Alert;
import org.peerobserver.proto.primitives.BlockHeader;
import org.peerobserver.proto.primitives.InventoryItem;

/**
 * Two alerts about the chain tip. {@code no_block}: no block connected (validation or log event) for
 * {@code noBlockAfter}. {@code stale_tip}: a block that peers announced (headers, inv, cmpctblock) is still
 * not connected {@code staleAfter} later. Silence is noticed by {@link #tick} on the route's timer.
 */
public class BlockDetector {
    /** Core announces new blocks with up to 8 headers; a longer headers message is a chain download. */
    private static final int MAX_ANNOUNCED = 8;

    private Duration noBlockAfter = Duration.ofMinutes(60);
    private Duration staleAfter = Duration.ofMinutes(10);
    private int maxNodes = 64;
    private int maxBlocks = 1000;

    private final EventClock clock = new EventClock();
    private BoundedState<Tip> tips;

    private final class Tip {
        final String node;
        long lastBlock;
        boolean noBlockAlerted;
        /** Announced, not yet connected: when first announced and by whom. */
        final BoundedState<Announced> pending = new BoundedState<>("stale_tip", maxBlocks);
        /** Connected recently: later announcements of these are old news. */
        final BoundedState<Boolean> connected = new BoundedState<>("stale_tip", maxBlocks);

        Tip(String node, long now) {
            this.node = node;
            this.lastBlock = now;
        }
    }

    private record Announced(long at, long peer, String address) {
    }

    @Handler
    public synchronized List<ReceivedEvent> check(List<ReceivedEvent> events) {
        init();
        for (ReceivedEvent e : events) {
            Event event = e.event();
            clock.seen(event.getTimestamp());
            Tip tip = tips.get(Alerts.node(e), n -> new Tip(n, event.getTimestamp()));
            String connected = connectedHash(event);
            if (connected != null) {
                tip.lastBlock = Math.max(tip.lastBlock, event.getTimestamp());
                tip.noBlockAlerted = false;
                tip.connected.get(connected, h -> Boolean.TRUE);
                tip.pending.remove(connected);
            } else if (event.hasEbpfExtractor() && event.getEbpfExtractor().hasMessage()) {
                MessageEvent m = event.getEbpfExtractor().getMessage();
                if (m.getMeta().getInbound()) {
                    for (String hash : announced(m)) {
                        if (tip.connected.peek(hash) == null) {
                            tip.pending.get(hash, h -> new Announced(event.getTimestamp(), m.getMeta().getPeerId(), m.getMeta().getAddr()));
                        }
                    }
                }
            }
        }
        return tick();
    }

    /** The alerts that silence has earned by now; the route's timer calls it. */
    @Handler
    public synchronized List<ReceivedEvent> tick() {
        init();
        long now = clock.now();
        List<ReceivedEvent> alerts = new ArrayList<>();
        if (now == 0) {
            return alerts;
        }
        for (Map.Entry<String, Tip> entry : tips.entries()) {
            Tip tip = entry.getValue();
            if (!tip.noBlockAlerted && now - tip.lastBlock >= noBlockAfter.toMillis()) {
                tip.noBlockAlerted = true;
                long minutes = (now - tip.lastBlock) / 60_000;
                alerts.add(Alerts.event(Alerts.alert("no_block", "critical", tip.node, "tip",
                        "no block connected for " + minutes + " minutes").setValue(minutes)
                        .setThreshold(noBlockAfter.toMinutes()), now));
            }
            for (Iterator<Map.Entry<String, Announced>> it = tip.pending.entries().iterator(); it.hasNext();) {
                Map.Entry<String, Announced> p = it.next();
                Announced a = p.getValue();
                if (now - a.at() >= staleAfter.toMillis()) {
                    it.remove();
                    long minutes = (now - a.at()) / 60_000;
                    alerts.add(Alerts.event(Alerts.alert("stale_tip", "critical", tip.node, "tip",
                            "block " + p.getKey() + " announced by peer " + a.peer() + " " + minutes
                                    + " minutes ago is not connected").setBlockHash(p.getKey()).addPeerIds(a.peer())
                            .addAddresses(a.address()).setValue(minutes).setThreshold(staleAfter.toMinutes()), now));
                }
            }
        }
        return alerts;
    }

    private void init() {
        if (tips == null) {
            tips = new BoundedState<>("no_block", maxNodes);
        }
    }

    /** The display-order hash of the block an event says was connected, or null. */
    private static String connectedHash(Event event) {
        if (event.hasEbpfExtractor() && event.getEbpfExtractor().hasValidation()
                && event.getEbpfExtractor().getValidation().hasBlockConnected()) {
            return Hashes.displayHex(event.getEbpfExtractor().getValidation().getBlockConnected().getHash().toByteArray());
        }
        if (event.hasLogExtractor() && event.getLogExtractor().hasBlockConnectedLog()) {
            return event.getLogExtractor().getBlockConnectedLog().getBlockHash();
        }
        return null;
    }

    /** Display-order hashes of the blocks a received message announces. */
    private static List<String> announced(MessageEvent m) {
        List<String> hashes = new ArrayList<>();
        switch (m.getMsgCase()) {
            case COMPACTBLOCK -> hashes.add(Hashes.displayHex(m.getCompactblock().getHeader().getHash().toByteArray()));
            case HEADERS -> {
                if (m.getHeaders().getHeadersCount() <= MAX_ANNOUNCED) {
                    for (BlockHeader h : m.getHeaders().getHeadersList()) {
                        hashes.add(Hashes.displayHex(h.getHash().toByteArray()));
                    }
                }
            }
            case INV -> {
                for (InventoryItem item : m.getInv().getItemsList()) {
                    if (hashes.size() < MAX_ANNOUNCED && (item.hasBlock() || item.hasWitnessBlock())) {
                        hashes.add(Hashes.displayHex((item.hasBlock() ? item.getBlock() : item.getWitnessBlock()).toByteArray()));
                    }
                }
            }
            default -> { }
        }
        return hashes;
    }

    public void setNoBlockAfter(Duration noBlockAfter) {
        this.noBlockAfter = noBlockAfter;
    }

    public void setStaleAfter(Duration staleAfter) {
        this.staleAfter = staleAfter;
    }

    public void setMaxNodes(int maxNodes) {
        this.maxNodes = maxNodes;
    }

    /** Announced and recently connected blocks kept per node. */
    public void setMaxBlocks(int maxBlocks) {
        this.maxBlocks = maxBlocks;
    }
}
