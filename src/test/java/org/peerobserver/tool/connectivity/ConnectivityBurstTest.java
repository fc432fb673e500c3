package org.peerobserver.tool.connectivity;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.testing.AppTestSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peerobserver.tool.connectivity.ConnectivityEvents.ipv4;
import static org.peerobserver.tool.connectivity.ConnectivityEvents.message;

/** 10,000 announced addresses at once: the queue bound, the pace and the concurrency bound hold. */
class ConnectivityBurstTest extends AppTestSupport {
    static final int RATE = 50;
    static final int CONCURRENCY = 4;
    static final int QUEUE = 30;
    static final Path csvDir = ConnectivityCheckRouteTest.tempDir();
    /** Accepts nothing: every handshake with it runs into its timeout, so checks overlap. */
    static final ServerSocket mute = ConnectivityCheckRouteTest.serverSocket();

    @Override
    protected Properties settings() {
        // one mute address announced 10,000 times stands for 10,000 addresses: no cache window, so each is dialled
        return props("tools", "connectivity-check", "connectivity.allow", "loopback", "connectivity.cache-seconds", "0",
                "connectivity.read-timeout", "100", "connectivity.connect-timeout", "100",
                "connectivity.rate", Integer.toString(RATE), "connectivity.concurrency", Integer.toString(CONCURRENCY),
                "connectivity.queue-size", Integer.toString(QUEUE),
                "connectivity.csv-dir", csvDir.toString(), "connectivity.metrics-address", "127.0.0.1:0");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        mute.close();
        ConnectivityCheckRouteTest.deleteDir(csvDir);
    }

    @Test
    void burstOfTenThousandAddresses() {
        ConnectivityCheck check = context.getRegistry().lookupByNameAndType("connectivityCheck", ConnectivityCheck.class);
        ConnectivityMetrics m = check.metrics();
        long millis = System.currentTimeMillis();
        List<Address> entries = IntStream.range(0, 500).mapToObj(i -> ipv4("127.0.0.1", mute.getLocalPort(), millis / 1000)).toList();
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            template.sendBody("bus:publish", message(millis, true, true, "127.0.0.1:50001", entries));
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            // the pace: never more dials than RATE a second allows (plus the first, which starts at once)
            double seconds = (System.nanoTime() - start) / 1e9;
            long dials = check.getDials();
            assertTrue(dials <= 1 + RATE * seconds, dials + " dials after " + seconds + " s");
            return m.tried.value("IPv4", "addrv2") + m.overflow.value() == 10_000;
        });
        long tried = m.tried.value("IPv4", "addrv2");
        assertTrue(tried >= QUEUE && tried < 200, "tried " + tried);
        assertEquals(tried, m.unsuccessful.value("IPv4", "addrv2", "127.0.0.1"));
        assertEquals(tried, check.getDials());
        assertEquals(CONCURRENCY, check.getMaxInFlight(), "the checks overlapped up to the bound, never beyond");
    }
}
