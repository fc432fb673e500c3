package org.peerobserver.extractor.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.peerobserver.event.EventKind;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.CompactBlockReconstructed;
import org.peerobserver.proto.ext.FibreBlockRace;
import org.peerobserver.proto.ext.FibreBlockReconstructed;
import org.peerobserver.proto.ext.LogMatch;
import org.peerobserver.proto.log.BlockCheckedLog;
import org.peerobserver.proto.log.LogDebugCategory;
import org.peerobserver.proto.log.log;

class LogMatchersTest {
    static final String HASH = "00000000000000000001a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7";
    static final String TS = "2025-11-20T10:00:00.250000Z ";
    static final long MICROS = 1_763_632_800_250_000L;
    private static final long NOW = 1_763_700_000_000L;

    @Test
    void blockConnected() {
        List<Event> events = LogMatchers.events(TS + "[validation] BlockConnected: block hash=" + HASH + " block height=870001", NOW);
        assertEquals(1, events.size());
        Event e = events.get(0);
        assertEquals(NOW, e.getTimestamp());
        assertEquals(new EventKind("log-extractor", "log.block_connected_log"), EventKind.of(e));
        log l = e.getLogExtractor();
        assertEquals(MICROS, l.getLogTimestamp());
        assertEquals(LogDebugCategory.VALIDATION, l.getCategory());
        assertEquals(HASH, l.getBlockConnectedLog().getBlockHash());
        assertEquals(870_001, l.getBlockConnectedLog().getBlockHeight());
    }

    @Test
    void enqueuingBlockConnectedMatchesToo() {
        log l = only(TS + "[validation] Enqueuing BlockConnected: block hash=" + HASH + " block height=7");
        assertEquals(7, l.getBlockConnectedLog().getBlockHeight());
    }

    @Test
    void blockCheckedWithAndWithoutDebugMessage() {
        BlockCheckedLog valid = only(TS + "[validation] BlockChecked: block hash=" + HASH + " state=Valid").getBlockCheckedLog();
        assertEquals(HASH, valid.getBlockHash());
        assertEquals("Valid", valid.getState());
        assertEquals("", valid.getDebugMessage());
        BlockCheckedLog bad = only(TS + "[validation] BlockChecked: block hash=" + HASH
                + " state=bad-txnmrklroot, hashMerkleRoot mismatch, again").getBlockCheckedLog();
        assertEquals("bad-txnmrklroot", bad.getState());
        assertEquals("hashMerkleRoot mismatch, again", bad.getDebugMessage());
    }

    @Test
    void anythingElseIsAnUnknownMessageWithoutTimestampAndCategory() {
        log l = only(TS + "[net] received: inv (37 bytes) peer=3");
        assertEquals(LogDebugCategory.NET, l.getCategory());
        assertEquals("received: inv (37 bytes) peer=3", l.getUnknownLogMessage().getRawMessage());
    }

    @Test
    void heightTooLargeForUint32IsNoMatch() {
        log l = only(TS + "[validation] BlockConnected: block hash=" + HASH + " block height=4294967296");
        assertTrue(l.hasUnknownLogMessage());
    }

    @Test
    void unparsedLineIsEmptyUnknownAndNeverMatched() {
        List<Event> events = LogMatchers.events("Successfully reconstructed block " + HASH
                + " with 1 txn prefilled, 2 txn from mempool (incl at least 0 from extra pool) and 0 txn requested", NOW);
        assertEquals(1, events.size());
        log l = events.get(0).getLogExtractor();
        assertEquals(0, l.getLogTimestamp());
        assertEquals(LogDebugCategory.UNKNOWN, l.getCategory());
        assertEquals("", l.getUnknownLogMessage().getRawMessage());
    }

    @Test
    void compactBlockV29() {
        LogMatch m = match(TS + "[cmpctblock] Successfully reconstructed block " + HASH
                + " with 1 txn prefilled, 3986 txn from mempool (incl at least 9 from extra pool) and 6 txn requested");
        assertEquals(MICROS, m.getLogTimestamp());
        CompactBlockReconstructed c = m.getCompactBlockReconstructed();
        assertEquals(HASH, c.getBlockHash());
        assertEquals(1, c.getPrefilled());
        assertEquals(3986, c.getFromMempool());
        assertEquals(9, c.getFromExtraPool());
        assertEquals(6, c.getRequested());
        assertFalse(c.hasRequestedBytes());
    }

    @Test
    void compactBlockV30WithBytes() {
        CompactBlockReconstructed c = match(TS + "[cmpctblock] Successfully reconstructed block " + HASH
                + " with 2 txn prefilled, 100 txn from mempool (incl at least 0 from extra pool) and 3 txn (1543 bytes) requested")
                .getCompactBlockReconstructed();
        assertEquals(2, c.getPrefilled());
        assertEquals(100, c.getFromMempool());
        assertEquals(0, c.getFromExtraPool());
        assertEquals(3, c.getRequested());
        assertEquals(1543, c.getRequestedBytes());
    }

    @Test
    void compactBlockLineIsAlsoPublishedAsUpstreamUnknownMessage() {
        String message = "Successfully reconstructed block " + HASH
                + " with 1 txn prefilled, 1 txn from mempool (incl at least 0 from extra pool) and 0 txn requested";
        List<Event> events = LogMatchers.events(TS + "[cmpctblock] " + message, NOW);
        assertEquals(2, events.size());
        assertEquals(LogDebugCategory.CMPCTBLOCK, events.get(0).getLogExtractor().getCategory());
        assertEquals(message, events.get(0).getLogExtractor().getUnknownLogMessage().getRawMessage());
        assertEquals(new EventKind("ext.log", "ext.log"), EventKind.of(events.get(1)));
        assertEquals(NOW, events.get(1).getTimestamp());
    }

    @Test
    void fibreReconstructionWithPool() {
        FibreBlockReconstructed f = match(TS + "UDP: Block " + HASH
                + " (pool=1) reconstructed from 198.51.100.4:8334 with 812 chunks in 34.567890 ms (905 recvd from 3 peers)")
                .getFibreBlockReconstructed();
        assertEquals(HASH, f.getBlockHash());
        assertEquals("1", f.getPool());
        assertEquals("198.51.100.4:8334", f.getSource());
        assertEquals(812, f.getChunksUsed());
        assertEquals(34.56789, f.getDurationMs(), 1e-9);
        assertEquals(905, f.getChunksReceived());
        assertEquals(3, f.getPeers());
    }

    @Test
    void fibreReconstructionWithoutPool() {
        FibreBlockReconstructed f = match(TS + "[bench] UDP: Block " + HASH
                + " reconstructed from mempool and peers with 3 chunks in 2 ms (4 recvd from 1 peers)")
                .getFibreBlockReconstructed();
        assertFalse(f.hasPool());
        assertEquals("mempool and peers", f.getSource());
        assertEquals(2.0, f.getDurationMs());
    }

    @Test
    void fibreRaceWithBothTimes() {
        FibreBlockRace r = match(TS + "[bench] UDP: block=" + HASH + " height=870001 winner=FIBRE/UDP winner_peer=203.0.113.9:8334"
                + " udp=12.34ms udp_peer=203.0.113.9:8334 cmpct=56.78ms cmpct_peer=peer=7").getFibreBlockRace();
        assertEquals(HASH, r.getBlockHash());
        assertEquals(870_001, r.getHeight());
        assertEquals("FIBRE/UDP", r.getWinner());
        assertEquals("203.0.113.9:8334", r.getWinnerPeer());
        assertEquals(12.34, r.getUdpMs());
        assertEquals("203.0.113.9:8334", r.getUdpPeer());
        assertEquals(56.78, r.getCmpctMs());
        assertEquals("peer=7", r.getCmpctPeer());
    }

    @Test
    void fibreRaceNotApplicableValuesAreUnset() {
        FibreBlockRace r = match(TS + "UDP: block=" + HASH + " height=5 winner=BIP152/CMPCTBLOCK winner_peer=n/a"
                + " udp=n/a udp_peer=n/a cmpct=0.50ms cmpct_peer=n/a").getFibreBlockRace();
        assertEquals("BIP152/CMPCTBLOCK", r.getWinner());
        assertFalse(r.hasWinnerPeer());
        assertFalse(r.hasUdpMs());
        assertFalse(r.hasUdpPeer());
        assertEquals(0.5, r.getCmpctMs());
        assertFalse(r.hasCmpctPeer());
    }

    @Test
    void nearMissesAreNotMatched() {
        assertEquals(1, LogMatchers.events(TS + "[cmpctblock] Successfully reconstructed block " + HASH.toUpperCase()
                + " with 1 txn prefilled, 1 txn from mempool (incl at least 0 from extra pool) and 0 txn requested", NOW).size());
        assertEquals(1, LogMatchers.events(TS + "UDP: block=" + HASH + " height=5 winner=FIBRE/UDP", NOW).size());
        assertEquals(1, LogMatchers.events(TS + "UDP: Block " + HASH + " reconstructed from x with 99999999999 chunks"
                + " in 1 ms (1 recvd from 1 peers)", NOW).size());
    }

    private static log only(String line) {
        List<Event> events = LogMatchers.events(line, NOW);
        assertEquals(1, events.size());
        return events.get(0).getLogExtractor();
    }

    private static LogMatch match(String line) {
        List<Event> events = LogMatchers.events(line, NOW);
        assertEquals(2, events.size(), "an upstream event and an ext.log event");
        assertTrue(events.get(0).getLogExtractor().hasUnknownLogMessage());
        return events.get(1).getExtension().getLog();
    }
}
