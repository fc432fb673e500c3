package org.peerobserver.bus;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a JetStream reader counts as lost: publisher gaps inside an unbroken run of the stream only. */
class StreamGapsTest {

    @Test
    void aPublishersGapInsideAnUnbrokenRunIsLossBeforeTheStream() {
        NatsBus.StreamGaps gaps = new NatsBus.StreamGaps();
        assertEquals(0, gaps.missedBefore("netmsg", 7, 1, 1));
        assertEquals(0, gaps.missedBefore("rpc", 7, 1, 2));
        // the site's stream dropped its numbers 2 to 4 of netmsg before the hub fetched them
        assertEquals(3, gaps.missedBefore("netmsg", 7, 5, 3));
        assertEquals(0, gaps.missedBefore("netmsg", 7, 6, 4));
    }

    @Test
    void messagesMissedInFlightAndRedeliveriesAreNoLoss() {
        NatsBus.StreamGaps gaps = new NatsBus.StreamGaps();
        assertEquals(0, gaps.missedBefore("netmsg", 7, 1, 1));
        // stream messages 2 to 4 were in flight to a server that died: they come again later
        assertEquals(0, gaps.missedBefore("netmsg", 7, 5, 5));
        assertEquals(0, gaps.missedBefore("netmsg", 7, 2, 2));
        assertEquals(0, gaps.missedBefore("netmsg", 7, 6, 6));
        // an unnumbered (upstream) publisher is never a gap
        assertEquals(0, gaps.missedBefore("netmsg", 9, 0, 7));
    }
}
