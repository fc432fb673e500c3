package org.peerobserver.tool.connectivity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.SampleCapture;
import org.peerobserver.testing.SocketDials;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled sample replayed into connectivity-check with the default settings, as a new user would run it: its
 * peers announce only documentation addresses and onions, so no socket may even try to connect, and every announced
 * address is counted as skipped, by reason.
 */
class ConnectivityReplayTest extends AppTestSupport {
    static final Path csvDir = ConnectivityCheckRouteTest.tempDir();
    static SocketDials dials;

    @Override
    protected Properties settings() {
        return props("extractors", "replay", "camel.component.replay.configuration.speed", "0", "tools", "connectivity-check",
                "connectivity.csv-dir", csvDir.toString(), "connectivity.metrics-address", "127.0.0.1:0");
    }

    /** Before the application starts: the replay begins with it. */
    @BeforeAll
    static void recordDials() {
        dials = SocketDials.record();
    }

    @AfterAll
    static void cleanUp() throws IOException {
        dials.close();
        ConnectivityCheckRouteTest.deleteDir(csvDir);
    }

    /** The addresses of the inbound addr/addrv2 messages in the sample, the ones the tool takes. */
    static List<Address> announced() {
        return SampleCapture.events().stream().filter(e -> e.hasEbpfExtractor() && e.getEbpfExtractor().hasMessage())
                .map(e -> e.getEbpfExtractor().getMessage())
                .filter(m -> m.getMeta().getInbound() && (m.hasAddr() || m.hasAddrv2()))
                .flatMap(m -> (m.hasAddr() ? m.getAddr().getAddressesList() : m.getAddrv2().getAddressesList()).stream())
                .toList();
    }

    @Test
    void theSampleDialsNothingAndCountsEveryRefusal() throws IOException {
        List<Address> announced = announced();
        long ips = announced.stream().filter(a -> a.hasIpv4() || a.hasIpv6()).count();
        long onions = announced.stream().filter(Address::hasTorv3).count();
        assertTrue(ips > 10 && onions > 5 && ips + onions == announced.size(), ips + " IP addresses, " + onions + " onions");
        ConnectivityMetrics m = context.getRegistry().lookupByNameAndType("connectivityCheck", ConnectivityCheck.class).metrics();
        await().atMost(Duration.ofSeconds(20)).until(() -> skipped(m) == announced.size() || !dials.attempts().isEmpty());

        assertEquals(List.of(), dials.attempts(), "connection attempts at the socket layer");
        assertEquals(ips, m.skipped.value("documentation"), "192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32");
        assertEquals(onions, m.skipped.value("no_proxy"), "no Tor proxy configured");
        assertEquals(0, m.dials.value());
        try (Stream<Path> files = Files.list(csvDir)) {
            assertEquals(List.of(), files.toList(), "no results, so no CSV");
        }
    }

    /** Every skipped address, whatever its reason, as the exposition shows it. */
    private static long skipped(ConnectivityMetrics m) {
        return m.exposition().lines().filter(l -> l.startsWith("connectivitycheck_check_skipped{"))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
