package org.peerobserver.extractor.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The choice of who makes room, as Bitcoin Core's eviction makes it, on made-up candidates. */
class EvictionTest {
    record Peer(long netgroup, long keyedNetgroup, long order, long minPing, long lastInventory) implements Eviction.Candidate {
    }

    private static Peer peer(long netgroup, long order) {
        return new Peer(netgroup, Eviction.keyed(netgroup, 42), order, Long.MAX_VALUE, 0);
    }

    @SafeVarargs
    private static NavigableSet<Peer> group(Peer... members) {
        NavigableSet<Peer> g = new TreeSet<>(Eviction.BY_ORDER);
        g.addAll(List.of(members));
        return g;
    }

    @Test
    void theYoungestOfTheLargestGroupGoes() {
        Peer a1 = peer(1, 1), a2 = peer(1, 5), a3 = peer(1, 3);
        Peer b1 = peer(2, 2), b2 = peer(2, 9);
        assertSame(a2, Eviction.youngestOfLargestGroup(List.of(group(a1, a2, a3), group(b1, b2))));
        // equally large: the group whose youngest is youngest
        Peer c1 = peer(3, 4), c2 = peer(3, 10);
        assertSame(c2, Eviction.youngestOfLargestGroup(List.of(group(b1, b2), group(c1, c2), group())));
        assertNull(Eviction.youngestOfLargestGroup(List.of(group(), group())));
    }

    @Test
    void sixteenHandshakedPeersAreAllProtected() {
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            peers.add(peer(1, i));
        }
        assertNull(Eviction.peerToEvict(peers, peer(2, 100)));
    }

    @Test
    void protectedPeersNeverGoAndANewcomerOfTheLargestGroupIsRefused() {
        List<Peer> peers = new ArrayList<>();
        // 40 peers in 4 netgroups, every one of them with a distinct ping and inventory time
        for (int i = 0; i < 40; i++) {
            peers.add(new Peer(i % 4, Eviction.keyed(i % 4, 7), i, 1_000_000L * ((i * 7) % 40 + 1), 1_000L * ((i * 13) % 40)));
        }
        Set<Peer> fastest = peers.stream().sorted((x, y) -> Long.compare(x.minPing(), y.minPing())).limit(8).collect(Collectors.toSet());
        Set<Peer> latestInventory = peers.stream().sorted((x, y) -> Long.compare(y.lastInventory(), x.lastInventory())).limit(4)
                .collect(Collectors.toSet());
        Peer newcomer = new Peer(99, Eviction.keyed(99, 7), 1000, Long.MAX_VALUE, 0);
        Peer victim = Eviction.peerToEvict(peers, newcomer);
        assertTrue(peers.contains(victim));
        assertFalse(fastest.contains(victim), "evicted one of the 8 fastest");
        assertFalse(latestInventory.contains(victim), "evicted one of the 4 latest to announce");
        // half of what was left (40 - 16 = 24) is protected by uptime: the victim is among the 12 youngest left
        assertTrue(victim.order() >= 12, "evicted an old peer: " + victim);
        // a newcomer from the group the victim came from, once that group is the largest, is refused instead
        List<Peer> oneGroup = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            oneGroup.add(peer(5, i));
        }
        assertNull(Eviction.peerToEvict(oneGroup, peer(5, 1000)));
        assertNotEquals(null, Eviction.peerToEvict(oneGroup, peer(6, 1000)));
    }

    @Test
    void netgroupsAreIpv4Slash16AndIpv6Slash32() {
        assertEquals(Eviction.netgroup(new InetSocketAddress("127.1.2.3", 1)), Eviction.netgroup(new InetSocketAddress("127.1.200.9", 2)));
        assertNotEquals(Eviction.netgroup(new InetSocketAddress("127.1.2.3", 1)), Eviction.netgroup(new InetSocketAddress("127.2.2.3", 1)));
        assertEquals(Eviction.netgroup(new InetSocketAddress("2001:db8:1::1", 1)), Eviction.netgroup(new InetSocketAddress("2001:db8:ffff::2", 1)));
        assertNotEquals(Eviction.netgroup(new InetSocketAddress("2001:db8::1", 1)), Eviction.netgroup(new InetSocketAddress("2001:db9::1", 1)));
        // an IPv4-mapped IPv6 address is its IPv4 address
        assertEquals(Eviction.netgroup(new InetSocketAddress("::ffff:10.0.0.1", 1)), Eviction.netgroup(new InetSocketAddress("10.0.9.9", 1)));
        // an IPv6 /32 never equals an IPv4 /16
        assertNotEquals(Eviction.netgroup(new InetSocketAddress("0:a00::", 1)), Eviction.netgroup(new InetSocketAddress("10.0.0.1", 1)));
        // the keyed group depends on the secret
        assertNotEquals(Eviction.keyed(5, 1), Eviction.keyed(5, 2));
    }

    @Test
    void aUserAgentIsCutTo256BytesInWholeCharacters() {
        assertEquals("/Satoshi:30.0.0/", PeerSession.cutUserAgent("/Satoshi:30.0.0/"));
        assertEquals("x".repeat(256), PeerSession.cutUserAgent("x".repeat(3_900)));
        // 255 ASCII bytes, then a 3-byte character that does not fit: cut before it
        String cut = PeerSession.cutUserAgent("y".repeat(255) + "€€");
        assertEquals("y".repeat(255), cut);
        // 100 characters of 3 bytes: 85 of them fit
        assertEquals("€".repeat(85), PeerSession.cutUserAgent("€".repeat(100)));
        assertEquals(255, PeerSession.cutUserAgent("€".repeat(100)).getBytes(StandardCharsets.UTF_8).length);
    }
}
