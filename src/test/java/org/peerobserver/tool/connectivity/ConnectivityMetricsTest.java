package org.peerobserver.tool.connectivity;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks record from several threads at once; a family full of source addresses drops and counts the rest. */
class ConnectivityMetricsTest {
    @Test
    void concurrentChecksLoseNoCount() throws InterruptedException {
        ConnectivityMetrics m = new ConnectivityMetrics();
        int threads = 8;
        int each = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String source = "10.0.0." + (t % 3);
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    m.tried.inc("IPv4", "addr");
                    m.unsuccessful.inc("IPv4", "addr", source + (i % 50));
                    m.offset.observe(i % 3, "IPv4", "addr", "past", "no");
                }
            });
            thread.start();
            all.add(thread);
        }
        start.countDown();
        for (Thread thread : all) {
            thread.join();
        }
        assertEquals((long) threads * each, m.tried.value("IPv4", "addr"));
        String exposition = m.exposition();
        assertTrue(exposition.contains("connectivitycheck_addr_addr_timestamp_offset_seconds_count{addr_version=\"addr\","
                + "network=\"IPv4\",successful=\"no\",timestamp_offset=\"past\"} " + threads * each), exposition);
        long unsuccessful = exposition.lines().filter(l -> l.startsWith("connectivitycheck_addr_unsuccessful_connection{"))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertEquals((long) threads * each, unsuccessful);
    }

    @Test
    void pastTenThousandSourcesNewOnesAreNotRecordedButCounted() {
        ConnectivityMetrics m = new ConnectivityMetrics();
        assertTrue(!m.exposition().contains("series_dropped"), "appears once something was dropped");
        for (int i = 0; i < ConnectivityMetrics.MAX_SERIES + 3; i++) {
            m.successful.inc("IPv6", "addrv2", "2001:db8::" + Integer.toHexString(i));
        }
        m.successful.inc("IPv6", "addrv2", "2001:db8::1");
        String exposition = m.exposition();
        assertEquals(ConnectivityMetrics.MAX_SERIES,
                exposition.lines().filter(l -> l.startsWith("connectivitycheck_addr_successful_connection{")).count());
        assertEquals(2, m.successful.value("IPv6", "addrv2", "2001:db8::1"));
        assertEquals(0, m.successful.value("IPv6", "addrv2", "2001:db8::" + Integer.toHexString(ConnectivityMetrics.MAX_SERIES)));
        assertTrue(exposition.contains("\n# TYPE connectivitycheck_check_series_dropped counter\nconnectivitycheck_check_series_dropped 3\n"),
                exposition.substring(exposition.lastIndexOf("# HELP")));
        assertTrue(!exposition.contains("\"other\""), "nothing folded into other");
    }
}
