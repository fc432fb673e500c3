package org.peerobserver.tool.fibre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.peerobserver.proto.ext.BlockRace;

/** Scripted sightings through the race tracker, judged by event time. */
class RaceTrackerTest {
    private final RaceTracker tracker = new RaceTracker(1000, 3);

    private BlockRace only(List<RaceTracker.Result> closed) {
        assertEquals(1, closed.size(), closed::toString);
        return closed.get(0).race();
    }

    @Test
    void winnerMarginAndPeerOfTheFirstTwoMechanisms() {
        tracker.seen("n", "aa", Mechanism.HEADERS, "10.0.0.2:8333", 10_000);
        tracker.seen("n", "aa", Mechanism.CMPCTBLOCK, "10.0.0.1:8333", 10_000 - 0);
        tracker.seen("n", "aa", Mechanism.CMPCTBLOCK, "10.0.0.3:8333", 10_200);   // later, from another peer
        tracker.seen("n", "aa", Mechanism.BLOCK, "10.0.0.4:8333", 10_900);
        assertTrue(tracker.expire(10_999).isEmpty(), "still within the window");
        BlockRace race = only(tracker.expire(11_000));
        // cmpctblock and headers at the same millisecond: a tie, decided by the fixed mechanism order
        assertEquals("cmpctblock", race.getWinner());
        assertEquals("10.0.0.1:8333", race.getWinnerPeer());
        assertEquals("headers", race.getRunnerUp());
        assertEquals(0, race.getMarginMs());
        assertTrue(race.getTie());
        assertEquals(900, race.getBlock().getAfterMs());
        assertEquals("10.0.0.4:8333", race.getBlock().getPeer());
        assertFalse(race.hasFibreUdp());
        assertEquals(0, tracker.openRaces());
    }

    @Test
    void aBlockSeenOnlyOneWayHasNoRunnerUp() {
        tracker.seen("n", "bb", Mechanism.FIBRE_UDP, "udp-peer", 5_000);
        BlockRace race = only(tracker.expire(6_000));
        assertEquals("fibre_udp", race.getWinner());
        assertFalse(race.hasRunnerUp());
        assertFalse(race.hasMarginMs());
        assertFalse(race.getTie());
        assertEquals(5_000, race.getFirstSeen());
    }

    @Test
    void outOfOrderArrivalsAreJudgedByTheirTimes() {
        tracker.seen("n", "cc", Mechanism.INV, "p1", 2_300);
        tracker.seen("n", "cc", Mechanism.CMPCTBLOCK, "p2", 2_050);   // happened earlier, reported later
        tracker.seen("n", "cc", Mechanism.INV, "p3", 2_100);          // an earlier inv than the first one
        BlockRace race = only(tracker.expire(3_300));
        assertEquals("cmpctblock", race.getWinner());
        assertEquals("inv", race.getRunnerUp());
        assertEquals(50, race.getMarginMs());
        assertEquals("p3", race.getInv().getPeer());
        assertEquals(2_050, race.getFirstSeen());
    }

    @Test
    void windowExpiryClosesOnlyOldRacesAndIgnoresLateSightings() {
        tracker.seen("n", "d1", Mechanism.CMPCTBLOCK, "p", 1_000);
        tracker.seen("n", "d2", Mechanism.CMPCTBLOCK, "p", 1_600);
        assertEquals("d1", only(tracker.expire(2_000)).getBlockHash());
        assertEquals(1, tracker.openRaces());
        tracker.seen("n", "d1", Mechanism.BLOCK, "p", 2_100);   // its race is over
        assertEquals(1, tracker.late());
        assertEquals(1, tracker.openRaces());
        assertEquals("d2", only(tracker.expire(2_600)).getBlockHash());
    }

    @Test
    void racesOfDifferentNodesAreApart() {
        tracker.seen("alice", "ee", Mechanism.CMPCTBLOCK, "p", 1_000);
        tracker.seen("bob", "ee", Mechanism.HEADERS, "p", 1_000);
        List<RaceTracker.Result> closed = tracker.expire(2_000);
        assertEquals(2, closed.size());
        assertEquals("alice", closed.get(0).node());
        assertEquals("cmpctblock", closed.get(0).race().getWinner());
        assertEquals("headers", closed.get(1).race().getWinner());
    }

    @Test
    void tooManyOpenRacesCloseTheOldestEarly() {
        tracker.seen("n", "f1", Mechanism.INV, "p", 1_000);
        tracker.seen("n", "f2", Mechanism.INV, "p", 1_001);
        tracker.seen("n", "f3", Mechanism.INV, "p", 1_002);
        BlockRace early = only(tracker.seen("n", "f4", Mechanism.INV, "p", 1_003));
        assertEquals("f1", early.getBlockHash());
        assertEquals(1, tracker.closedEarly());
        assertEquals(3, tracker.openRaces());
    }
}
