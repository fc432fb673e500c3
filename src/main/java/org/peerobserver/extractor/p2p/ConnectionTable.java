package org.peerobserver.extractor.p2p;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The listener's open connections by network group, and its peers (connections past their version): who gets
 * in when a limit is reached, and who makes room. Unfinished handshakes are always the first to go: a node
 * finishes its handshake in milliseconds. Used only on the listener's one event loop, so nothing here locks.
 */
final class ConnectionTable {
    /** Open connections of one netgroup, and those of them without a finished handshake, oldest first. */
    private static final class Group {
        int open;
        final NavigableSet<PeerSession> unfinished = new TreeSet<>(Eviction.BY_ORDER);
    }

    private final int maxConnections;
    private final int maxPerNetgroup;
    private final int maxPeers;
    private final Map<Long, Group> groups = new HashMap<>();
    private final Set<PeerSession> connections = new HashSet<>();
    private final Set<PeerSession> peers = new LinkedHashSet<>();

    ConnectionTable(int maxConnections, int maxPerNetgroup, int maxPeers) {
        this.maxConnections = maxConnections;
        this.maxPerNetgroup = maxPerNetgroup;
        this.maxPeers = maxPeers;
    }

    /**
     * A new connection. It is refused (closed, counted) when its netgroup holds {@code maxPerNetgroup} already,
     * or when the table is full and its own netgroup holds the most unfinished handshakes; otherwise, when full,
     * the youngest unfinished handshake of the largest netgroup is evicted for it. True if it stays.
     */
    boolean connect(PeerSession s) {
        Group g = groups.computeIfAbsent(s.netgroup(), k -> new Group());
        if (g.open >= maxPerNetgroup) {
            dropIfEmpty(s.netgroup(), g);
            s.drop(DropReason.TOO_MANY_CONNECTIONS, g.open + " open from its netgroup (at most " + maxPerNetgroup + ")");
            return false;
        }
        g.open++;
        g.unfinished.add(s);
        connections.add(s);
        if (connections.size() <= maxConnections) {
            return true;
        }
        List<NavigableSet<PeerSession>> unfinished = new ArrayList<>(groups.size());
        groups.values().forEach(group -> unfinished.add(group.unfinished));
        PeerSession victim = Eviction.youngestOfLargestGroup(unfinished);
        if (victim == s) {
            closed(s);
            s.drop(DropReason.TOO_MANY_CONNECTIONS, maxConnections + " open, and its netgroup has the most unfinished handshakes");
            return false;
        }
        closed(victim);
        victim.evict(DropReason.TOO_MANY_CONNECTIONS, "evicted for a newer connection from a smaller netgroup (" + maxConnections
                + " open)");
        return true;
    }

    /**
     * The connection sent its version and wants a peer slot. When all are taken, the oldest peer that has not
     * finished its handshake goes; failing that, a handshaked one as {@link Eviction#peerToEvict} picks. False:
     * refused.
     */
    boolean admitPeer(PeerSession s) {
        if (peers.size() >= maxPeers) {
            PeerSession victim = null;
            List<PeerSession> handshaked = new ArrayList<>(peers.size());
            for (PeerSession p : peers) {
                if (p.ready()) {
                    handshaked.add(p);
                } else if (victim == null || p.order() < victim.order()) {
                    victim = p;
                }
            }
            if (victim == null) {
                victim = Eviction.peerToEvict(handshaked, s);
            }
            if (victim == null) {
                return false;
            }
            closed(victim);
            victim.evict(DropReason.TOO_MANY_PEERS, "evicted for a newer node (" + maxPeers + " nodes connected)");
        }
        peers.add(s);
        return true;
    }

    /** The handshake is done: the connection is no longer among the first to be evicted. */
    void handshakeDone(PeerSession s) {
        Group g = groups.get(s.netgroup());
        if (g != null) {
            g.unfinished.remove(s);
        }
    }

    /** Forgets a connection (closed, or about to be); calling it twice is harmless. */
    void closed(PeerSession s) {
        if (!connections.remove(s)) {
            return;
        }
        Group g = groups.get(s.netgroup());
        g.unfinished.remove(s);
        g.open--;
        peers.remove(s);
        dropIfEmpty(s.netgroup(), g);
    }

    private void dropIfEmpty(long netgroup, Group g) {
        if (g.open == 0) {
            groups.remove(netgroup);
        }
    }

    int peers() {
        return peers.size();
    }
}
