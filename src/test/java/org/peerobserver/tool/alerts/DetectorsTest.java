package org.peerobserver.tool.alerts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.Alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peerobserver.tool.alerts.Events.T0;
import static org.peerobserver.tool.alerts.Events.alert;
import static org.peerobserver.tool.alerts.Events.all;

/** Each detector with events that fire it and events that must not. */
class DetectorsTest {

    private static RateDetector rate(String alert, String keyBy, long threshold) {
        RateDetector d = new RateDetector();
        d.setAlert(alert);
        d.setKeyBy(keyBy);
        d.setThreshold(threshold);
        d.setWindow(Duration.ofMinutes(1));
        return d;
    }

    @Test
    void inboundFloodFiresOncePerSubnetAndWindowAndNotForSpreadConnections() {
        RateDetector d = rate("inbound_flood", "subnet", 10);
        d.setWhat("inbound connections");
        List<Event> flood = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            flood.add(Events.inbound(T0 + i * 1000, i, "192.0.2." + (i + 1) + ":" + (40000 + i)));
        }
        List<ReceivedEvent> alerts = d.check(all(flood.toArray(Event[]::new)));
        assertEquals(1, alerts.size(), "11th connection of the /24 within the minute fires, once");
        Alert a = alert(alerts.get(0));
        assertEquals("inbound_flood", a.getName());
        assertEquals("192.0.2.0", a.getKey());
        assertEquals("alice", a.getNode());
        assertEquals(11, a.getValue());
        assertEquals(10, a.getPeerIdsCount(), "evidence is capped");
        assertTrue(a.getSummary().startsWith("11 inbound connections from subnet 192.0.2.0 within 60 s"), a.getSummary());

        // the same rate spread over many /24s, and the same /24 slower than the threshold: nothing
        List<Event> quiet = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            quiet.add(Events.inbound(T0 + 120_000 + i * 1000, 100 + i, "198.51." + i + ".1:8333"));
            quiet.add(Events.inbound(T0 + 120_000 + i * 7000, 200 + i, "203.0.113.5:8333"));
        }
        assertEquals(List.of(), d.check(all(quiet.toArray(Event[]::new))));
    }

    @Test
    void ipv6FloodIsGroupedBySlash32() {
        RateDetector d = rate("inbound_flood", "subnet", 2);
        List<ReceivedEvent> alerts = d.check(all(Events.inbound(T0, 1, "[2001:db8:1::1]:8333"),
                Events.inbound(T0 + 1, 2, "[2001:db8:ffff::2]:8333"), Events.inbound(T0 + 2, 3, "[2001:db8:abcd::3]:8333")));
        assertEquals(1, alerts.size());
        assertEquals("2001:db8::", alert(alerts.get(0)).getKey());
    }

    @Test
    void stateIsBoundedByMaxKeys() {
        RateDetector d = rate("inbound_flood", "subnet", 10);
        d.setMaxKeys(100);
        List<Event> many = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            many.add(Events.inbound(T0 + i, i, (i / 250) + "." + (i % 250) + ".7.1:8333"));
        }
        d.check(all(many.toArray(Event[]::new)));
        assertEquals(100, d.keys());
    }

    @Test
    void addressFloodCountsAddressesPerPeer() {
        RateDetector d = rate("address_flood", "peer", 1000);
        assertEquals(List.of(), d.check(all(Events.addrv2(T0, 7, 1000), Events.addrv2(T0 + 61_000, 7, 1000))),
                "1000 a minute is Core's bucket, no flood");
        List<ReceivedEvent> alerts = d.check(all(Events.addrv2(T0 + 70_000, 7, 600), Events.addrv2(T0 + 71_000, 8, 600),
                Events.addrv2(T0 + 72_000, 7, 600)));
        assertEquals(1, alerts.size());
        assertEquals("7", alert(alerts.get(0)).getKey());
        assertEquals(List.of(7L), alert(alerts.get(0)).getPeerIdsList());
    }

    @Test
    void misbehaviourEvictionsAndMempoolBursts() {
        RateDetector misbehaviour = rate("misbehaviour_burst", "none", 3);
        assertEquals(List.of(), misbehaviour.check(all(Events.misbehaving(T0, 1), Events.misbehaving(T0 + 1, 2),
                Events.misbehaving(T0 + 2, 3), Events.misbehaving(T0 + 70_000, 4))));
        assertEquals(1, misbehaviour.check(all(Events.misbehaving(T0 + 70_001, 5), Events.misbehaving(T0 + 70_002, 6),
                Events.misbehaving(T0 + 70_003, 7))).size());

        RateDetector evictions = rate("eviction_storm", "none", 2);
        assertEquals(1, evictions.check(all(Events.evicted(T0, 1, "192.0.2.1:1"), Events.evicted(T0, 2, "192.0.2.2:1"),
                Events.evicted(T0, 3, "192.0.2.3:1"))).size());

        RateDetector rejects = rate("mempool_rejects", "reason", 2);
        List<ReceivedEvent> alerts = rejects.check(all(Events.rejected(T0, "min relay fee not met"), Events.rejected(T0, "dust"),
                Events.rejected(T0, "min relay fee not met"), Events.rejected(T0, "dust"), Events.rejected(T0, "min relay fee not met")));
        assertEquals(1, alerts.size(), "only the reason over the threshold");
        assertEquals("min relay fee not met", alert(alerts.get(0)).getKey());

        RateDetector drop = rate("mempool_drop", "reason", 2);
        drop.setReasons("expiry,sizelimit");
        assertEquals(List.of(), drop.check(all(Events.removed(T0, "block"), Events.removed(T0, "block"), Events.removed(T0, "block"))),
                "transactions mined are no drop");
        assertEquals(1, drop.check(all(Events.removed(T0, "sizelimi"), Events.removed(T0, "sizelimi"),
                Events.removed(T0, "sizelimi"))).size(), "the tracepoint's 8-character reason matches sizelimit");
    }

    @Test
    void badDetectorSettingsAreRefusedInOneSentence() {
        RateDetector d = new RateDetector();
        assertEquals("rate: keyBy is 'host', but it takes one of none, peer, address, subnet, reason",
                assertThrows(IllegalArgumentException.class, () -> d.setKeyBy("host")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.setSeverity("urgent"));
        assertThrows(IllegalArgumentException.class, () -> d.setWindow(Duration.ZERO));
    }

    @Test
    void spyRangesFireForLinkingLionOncePerHostAndNotForOthers() {
        SpyRangeDetector d = new SpyRangeDetector();
        List<ReceivedEvent> alerts = d.check(all(Events.inbound(T0, 1, "162.218.65.10:8333"), Events.inbound(T0 + 1000, 2, "162.218.65.10:8333"),
                Events.inbound(T0 + 2000, 3, "192.0.2.1:8333"), Events.inbound(T0 + 3000, 4, "[2604:d500:4:1::2]:8333")));
        assertEquals(2, alerts.size());
        assertEquals("linkinglion", alert(alerts.get(0)).getKey());
        assertEquals("inbound connection from 162.218.65.10, on the linkinglion list", alert(alerts.get(0)).getSummary());
        assertEquals(List.of("[2604:d500:4:1::2]:8333"), alert(alerts.get(1)).getAddressesList());
        assertEquals(1, d.check(all(Events.inbound(T0 + 3_601_000, 5, "162.218.65.10:8333"))).size(), "again after an hour");
    }

    @Test
    void spyRangesReadTheBanListFiles(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("gmaxbanlist.txt"), "# gmax\n198.51.100.66\n");
        SpyRangeDetector d = new SpyRangeDetector();
        d.setIpListsDirectory(dir.toString());
        List<ReceivedEvent> alerts = d.check(all(Events.inbound(T0, 1, "198.51.100.66:8333"), Events.inbound(T0, 2, "198.51.100.67:8333")));
        assertEquals(1, alerts.size());
        assertEquals("gmax_banlist", alert(alerts.get(0)).getKey());
    }

    @Test
    void noBlockFiresAfterSilenceAndStaleTipForAnAnnouncedBlockNeverConnected() {
        BlockDetector d = new BlockDetector();
        d.setNoBlockAfter(Duration.ofMinutes(60));
        d.setStaleAfter(Duration.ofMinutes(10));
        // blocks every 10 minutes, each announced before it is connected: nothing
        List<Event> steady = new ArrayList<>();
        for (int n = 1; n <= 6; n++) {
            steady.add(Events.headers(T0 + n * 600_000L, 3, n));
            steady.add(Events.connected(T0 + n * 600_000L + 200, n));
            steady.add(Events.headers(T0 + n * 600_000L + 300, 4, n));  // a late announcement of a connected block
        }
        assertEquals(List.of(), d.check(all(steady.toArray(Event[]::new))));
        // block 7 announced, never connected; the clock moves on by events of other kinds
        List<ReceivedEvent> alerts = d.check(all(Events.headers(T0 + 4_200_000L, 3, 7), Events.headers(T0 + 4_900_000L, 3, 6)));
        assertEquals(1, alerts.size());
        Alert stale = alert(alerts.get(0));
        assertEquals("stale_tip", stale.getName());
        assertEquals(org.peerobserver.bitcoin.Hashes.displayHex(Events.hash(7).toByteArray()), stale.getBlockHash());
        assertEquals(List.of(3L), stale.getPeerIdsList());
        alerts = d.check(all(Events.headers(T0 + 7_300_000L, 3, 6)));
        assertEquals(1, alerts.size());
        assertEquals("no_block", alert(alerts.get(0)).getName());
        assertEquals("critical", alert(alerts.get(0)).getSeverity());
        assertEquals(List.of(), d.check(all(Events.headers(T0 + 7_400_000L, 3, 6))), "once per silence");
        assertEquals(List.of(), d.check(all(Events.connected(T0 + 7_500_000L, 8))));
    }

    @Test
    void longHeadersMessagesAreAChainDownloadNotAnnouncements() {
        BlockDetector d = new BlockDetector();
        Event download = Events.headers(T0, 3, 1);
        var m = download.getEbpfExtractor().getMessage().toBuilder();
        for (int i = 0; i < 9; i++) {
            m.getHeadersBuilder().addHeaders(m.getHeaders().getHeaders(0));
        }
        Event many = Events.ebpf(T0, download.getEbpfExtractor().toBuilder().setMessage(m).build());
        assertEquals(List.of(), d.check(all(many, Events.connected(T0 + 1, 2), Events.connected(T0 + 3_000_000L, 3))));
    }

    @Test
    void pingSpikeAgainstItsOwnBaseline() {
        PingDetector d = new PingDetector();
        d.setFactor(5);
        List<Event> normal = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            normal.add(Events.p2pPing(T0 + i * 10_000, 0.050 + (i % 3) * 0.01));
            normal.add(Events.peerInfos(T0 + i * 10_000, Events.peer(1, 0.1), Events.peer(2, 2.0), Events.peer(3, 0.2), Events.peer(4, 0.1),
                    Events.peer(5, 0.1)));
        }
        assertEquals(List.of(), d.check(all(normal.toArray(Event[]::new))), "peer 2's 2 s is its normal");
        List<ReceivedEvent> alerts = d.check(all(Events.p2pPing(T0 + 200_000, 1.0),
                Events.peerInfos(T0 + 200_000, Events.peer(1, 0.1), Events.peer(2, 2.0), Events.peer(3, 3.0), Events.peer(4, 0.1),
                        Events.peer(5, 0.1))));
        assertEquals(List.of("p2p-extractor", "peer 3"), alerts.stream().map(e -> alert(e).getKey()).toList());
        assertEquals(List.of(3L), alert(alerts.get(1)).getPeerIdsList());
        assertEquals(List.of(), d.check(all(Events.p2pPing(T0 + 210_000, 1.1))), "one alert per spike");
        d.check(all(Events.p2pPing(T0 + 220_000, 0.05)));
        assertEquals(1, d.check(all(Events.p2pPing(T0 + 230_000, 1.0))).size(), "a new spike after recovering");
    }

    @Test
    void pingMedianAcrossPeers() {
        PingDetector d = new PingDetector();
        for (int i = 0; i < 6; i++) {
            d.check(all(Events.peerInfos(T0 + i, Events.peer(1, 0.1), Events.peer(2, 0.1), Events.peer(3, 0.1))));
        }
        // new peers (no baseline yet), all slow: the median shows it
        List<ReceivedEvent> alerts = d.check(all(Events.peerInfos(T0 + 10, Events.peer(4, 1), Events.peer(5, 1), Events.peer(6, 1))));
        assertEquals(List.of("median"), alerts.stream().map(e -> alert(e).getKey()).toList());
    }

    @Test
    void fibreDegradedWhenCompactBlocksWinMostRacesAndNoUdpAfterBlocksWithoutIt() {
        FibreDetector d = new FibreDetector();
        d.setRaces(10);
        d.setCmpctPercent(50);
        d.setNoUdpBlocks(3);
        List<Event> healthy = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            healthy.add(Events.race(T0 + n, n, n % 3 == 0 ? "cmpctblock" : "fibre_udp", true));
        }
        assertEquals(List.of(), d.check(all(healthy.toArray(Event[]::new))), "a third won by compact blocks is fine");
        List<Event> degraded = new ArrayList<>();
        for (int n = 20; n < 26; n++) {
            degraded.add(Events.race(T0 + n, n, "cmpctblock", true));
        }
        List<ReceivedEvent> alerts = d.check(all(degraded.toArray(Event[]::new)));
        assertEquals(List.of("fibre_degraded"), alerts.stream().map(e -> alert(e).getName()).toList());
        assertEquals(List.of("fibre_no_udp"), d.check(all(Events.race(T0 + 30, 30, "cmpctblock", false),
                Events.race(T0 + 31, 31, "cmpctblock", false), Events.race(T0 + 32, 32, "cmpctblock", false),
                Events.race(T0 + 33, 33, "cmpctblock", false))).stream().map(e -> alert(e).getName()).toList());
    }
}
