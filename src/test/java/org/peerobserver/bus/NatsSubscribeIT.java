package org.peerobserver.bus;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.rpc.PeerInfo;
import org.peerobserver.proto.rpc.rpc;
import org.peerobserver.testing.CapturedLog;
import org.peerobserver.testing.NatsAppTestSupport;
import org.peerobserver.testing.SampleEvents;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A tool route on NATS reads what upstream extractors publish, and skips what is not an event (random bytes,
 * a truncated event, another protobuf, an event with nothing set): counted, logged once a minute.
 */
class NatsSubscribeIT extends NatsAppTestSupport {

    @Override
    protected Properties extraSettings() {
        return props("tools", "logger");
    }

    @Test
    void upstreamEventsAreLoggedAndMalformedPayloadsCounted() throws Exception {
        CapturedLog log = new CapturedLog(NatsBus.class);
        CapturedLog lines = new CapturedLog("tool-logger");
        context.start();

        Event uptime = new SampleEvents(3, 1_700_000_000_000L).rpc(rpc.newBuilder().setUptime(42).build());
        Connection c = client();
        c.publish("rpc", uptime.toByteArray());  // as upstream's rpc-extractor does: no stamp
        c.publish("rpc", new byte[] { 1, 2, 3 });
        byte[] whole = uptime.toByteArray();
        c.publish("rpc", Arrays.copyOf(whole, whole.length - 2));  // truncated inside the rpc message
        c.publish("rpc", Event.newBuilder().setTimestamp(5).build().toByteArray());  // no extractor event set
        c.publish("netmsg", PeerInfo.newBuilder().setId(1).buildPartial().toByteArray());  // another message
        c.publish("rpc", NatsPayload.encode(uptime, "beta", 1, 1));  // as ours do: the node in the stamp
        c.flush(Duration.ofSeconds(2));

        await().atMost(5, TimeUnit.SECONDS).until(() -> lines.lines().size() >= 2);
        Thread.sleep(500);  // and no more
        assertEquals(List.of("INFO rpc.uptime node=unknown at=2023-11-14T22:13:20Z uptime=42",
                "INFO rpc.uptime node=beta at=2023-11-14T22:13:20Z uptime=42"), lines.lines());
        lines.close();
        BusStatistics stats = context.getComponent("bus", BusComponent.class).getStatistics();
        await().atMost(5, TimeUnit.SECONDS).until(() -> stats.malformed() == 4);
        List<String> warnings = log.lines("WARN").stream().filter(l -> l.contains("not a peer-observer event")).toList();
        assertEquals(1, warnings.size(), "logged once a minute: " + warnings);
        log.close();
    }
}
