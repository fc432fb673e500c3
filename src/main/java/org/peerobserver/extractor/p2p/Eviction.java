package org.peerobserver.extractor.p2p;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Who gives up a place when the listener is full, chosen as Bitcoin Core chooses (node/eviction.cpp): the
 * youngest connection of the network group holding the most connections goes. A newcomer takes part in that
 * choice, so a flood from one group can never push out another group, and is refused once its own group is
 * the largest. Peers that finished the handshake are first protected as Core protects them: four by a
 * secretly keyed netgroup, eight by the shortest ping, four by the latest inventory, half of the rest by
 * uptime.
 */
final class Eviction {
    /** What the choice looks at. */
    interface Candidate {
        /** The network group: the IPv4 /16 or the IPv6 /32 of the address. */
        long netgroup();

        /** The netgroup hashed with this listener's secret, so nobody can tell which groups are protected. */
        long keyedNetgroup();

        /** Order of arrival: larger is younger. */
        long order();

        /** Shortest ping round trip in ns, {@link Long#MAX_VALUE} before the first. */
        long minPing();

        /** When (ms since the epoch) the peer last announced inventory, 0 if never. */
        long lastInventory();
    }

    static final Comparator<Candidate> BY_ORDER = Comparator.comparingLong(Candidate::order);

    private Eviction() {
    }

    /**
     * The youngest member of the largest group (each group ordered by {@link #BY_ORDER}); of groups equally
     * large, the one whose youngest member is youngest, as in Core. Null when every group is empty.
     */
    static <C extends Candidate> C youngestOfLargestGroup(Iterable<? extends NavigableSet<C>> groups) {
        NavigableSet<C> largest = null;
        for (NavigableSet<C> g : groups) {
            if (g.isEmpty()) {
                continue;
            }
            if (largest == null || g.size() > largest.size()
                    || (g.size() == largest.size() && g.last().order() > largest.last().order())) {
                largest = g;
            }
        }
        return largest == null ? null : largest.last();
    }

    /**
     * Which of the handshaked {@code peers} makes room for {@code newcomer}, or null to keep them all (the
     * newcomer is refused): Core's protections, then the youngest of the largest group of what is left and the
     * newcomer.
     */
    static <C extends Candidate> C peerToEvict(Collection<C> peers, C newcomer) {
        List<C> left = new ArrayList<>(peers);
        protect(left, Comparator.comparingLong(Candidate::keyedNetgroup), 4);
        protect(left, Comparator.comparingLong(Candidate::minPing).reversed(), 8);
        // no inventory yet ties: then the older is protected, as Core falls back to connection time
        protect(left, Comparator.comparingLong(Candidate::lastInventory).thenComparing(BY_ORDER.reversed()), 4);
        protect(left, BY_ORDER.reversed(), left.size() / 2);
        if (left.isEmpty()) {
            return null;
        }
        left.add(newcomer);
        Map<Long, NavigableSet<C>> groups = new HashMap<>();
        for (C c : left) {
            groups.computeIfAbsent(c.netgroup(), g -> new TreeSet<>(BY_ORDER)).add(c);
        }
        C victim = youngestOfLargestGroup(groups.values());
        return victim == newcomer ? null : victim;
    }

    /** Sorts by {@code order} and takes the last {@code k} (the best by it) out of the candidates. */
    private static <C> void protect(List<C> candidates, Comparator<? super C> order, int k) {
        candidates.sort(order);
        candidates.subList(candidates.size() - Math.min(k, candidates.size()), candidates.size()).clear();
    }

    /** The network group of an address: its IPv4 /16 or IPv6 /32 (a tag keeps the two apart); 0 if not IP. */
    static long netgroup(SocketAddress address) {
        if (!(address instanceof InetSocketAddress a) || a.getAddress() == null) {
            return 0;
        }
        InetAddress ip = a.getAddress();
        byte[] b = ip.getAddress();
        if (ip instanceof Inet4Address) {
            return 4L << 32 | (b[0] & 0xffL) << 8 | (b[1] & 0xffL);
        }
        return 6L << 32 | (b[0] & 0xffL) << 24 | (b[1] & 0xffL) << 16 | (b[2] & 0xffL) << 8 | (b[3] & 0xffL);
    }

    /** {@code netgroup} mixed with {@code secret} (SplitMix64's finaliser): unpredictable without the secret. */
    static long keyed(long netgroup, long secret) {
        long z = netgroup ^ secret;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
