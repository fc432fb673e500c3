package org.peerobserver.tool.kinds;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.peerobserver.event.EventKind;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.CapturedLog;
import org.peerobserver.testing.SampleCapture;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KindsSeenTest {

    private static ReceivedEvent from(String node, Event event) {
        return new ReceivedEvent(event, EventKind.of(event), node);
    }

    @Test
    void eachKindOncePerNode() {
        Event uptime = SampleCapture.events().get(0);
        try (CapturedLog log = new CapturedLog("tool-kinds-seen")) {
            KindsSeen tool = new KindsSeen();
            tool.see(List.of(from("alice", uptime), from("alice", uptime), from("bob", uptime)));
            tool.see(List.of(from("alice", uptime)));
            assertEquals(List.of("INFO first rpc.uptime from node=alice", "INFO first rpc.uptime from node=bob"), log.lines());
        }
    }

    /** Whoever may publish on the bus can invent node names: what the tool remembers stays bounded. */
    @Test
    void inventedNodeNamesFillAtMostTheCap() {
        Event uptime = SampleCapture.events().get(0);
        List<ReceivedEvent> flood = new ArrayList<>();
        for (int i = 0; i < KindsSeen.MAX_SEEN + 500; i++) {
            flood.add(from("node-" + i, uptime));
        }
        try (CapturedLog log = new CapturedLog("tool-kinds-seen")) {
            KindsSeen tool = new KindsSeen();
            tool.see(flood);
            tool.see(List.of(from("latecomer", uptime)));
            assertEquals(KindsSeen.MAX_SEEN, log.lines().size());
        }
    }
}
