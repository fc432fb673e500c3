package org.peerobserver.tool.connectivity;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.testing.AppTestSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peerobserver.tool.connectivity.ConnectivityEvents.ipv4;
import static org.peerobserver.tool.connectivity.ConnectivityEvents.message;

/**
 * The connectivity-check route on the in-JVM bus, against loopback peers only: our own P2P extractor (a real
 * handshake), a closed port, a listener that never answers and one that answers garbage.
 */
class ConnectivityCheckRouteTest extends AppTestSupport {
    // static: AppTestSupport asks for the settings while constructing the test, before its fields are set
    static final Path csvDir = tempDir();
    static final int peerPort = freePort();
    static final ServerSocket mute = serverSocket();
    static final ServerSocket garbage = serverSocket();
    static final int closedPort = freePort();

    @Override
    protected Properties settings() {
        return props("tools", "connectivity-check", "extractors", "p2p",
                "camel.component.bitcoin-p2p.configuration.port", Integer.toString(peerPort), "camel.component.bitcoin-p2p.configuration.network", "regtest", "camel.component.bitcoin-p2p.configuration.ping-interval", "0",
                "connectivity.network", "regtest", "connectivity.allow", "loopback",
                "connectivity.read-timeout", "600", "connectivity.connect-timeout", "600",
                "connectivity.rate", "1000", "connectivity.concurrency", "4",
                "connectivity.csv-dir", csvDir.toString(), "connectivity.metrics-address", "127.0.0.1:0");
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ServerSocket serverSocket() {
        try {
            return new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("connectivity-check");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        garbage.close();
        mute.close();
        deleteDir(csvDir);
    }

    static void deleteDir(Path csvDir) throws IOException {
        try (Stream<Path> files = Files.list(csvDir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(csvDir);
    }

    /** Answers every connection with an HTTP error, as a web server on a Bitcoin port would. */
    void answerGarbage() {
        Thread t = new Thread(() -> {
            while (!garbage.isClosed()) {
                try (Socket s = garbage.accept(); OutputStream o = s.getOutputStream()) {
                    o.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    o.flush();
                    s.getInputStream().readNBytes(24);
                } catch (IOException e) {
                    return;
                }
            }
        }, "garbage-peer");
        t.setDaemon(true);
        t.start();
    }

    ConnectivityCheck check() {
        return context.getRegistry().lookupByNameAndType("connectivityCheck", ConnectivityCheck.class);
    }

    List<String> rows() throws IOException {
        try (Stream<Path> files = Files.list(csvDir)) {
            List<Path> csv = files.filter(p -> p.getFileName().toString().matches("addr-connectivity-\\d+\\.csv")).toList();
            if (csv.isEmpty()) {
                return List.of();
            }
            assertEquals(1, csv.size());
            List<String> lines = Files.readAllLines(csv.get(0));
            assertEquals(String.join(",", ResultCsv.COLUMNS), lines.get(0));
            return new ArrayList<>(lines.subList(1, lines.size()));
        }
    }

    /** The row for {@code port}, without its first column (the time the result was written). */
    static String row(List<String> rows, int port, int nth) {
        List<String> matching = rows.stream().filter(r -> r.split(",")[2].equals(Integer.toString(port))).toList();
        String r = matching.get(nth);
        long written = Long.parseLong(r.substring(0, r.indexOf(',')));
        assertTrue(Math.abs(written - System.currentTimeMillis() / 1000) < 60, r);
        return r.substring(r.indexOf(',') + 1);
    }

    String metrics() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + check().metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    @Test
    void checksEachAnnouncedAddressAndRecordsUpstreamsRowsAndMetrics() throws Exception {
        answerGarbage();
        await().atMost(Duration.ofSeconds(10)).until(() -> check() != null && rowsOrEmpty() != null && metricsReady());
        assertEquals("# HELP connectivitycheck_check_in_flight Handshakes in progress.\n# TYPE connectivitycheck_check_in_flight gauge\n"
                + "connectivitycheck_check_in_flight 0\n", metrics(), "none of upstream's families before the first result, as upstream");
        long millis = System.currentTimeMillis();
        long now = millis / 1000;
        // the closed port twice in one message, as Bitcoin Core can send it: dialled once
        List<Address> entries = List.of(ipv4("127.0.0.1", peerPort, now - 100), ipv4("127.0.0.1", closedPort, now - 100),
                ipv4("127.0.0.1", closedPort, now - 100),
                ipv4("127.0.0.1", mute.getLocalPort(), now + 5), ipv4("127.0.0.1", garbage.getLocalPort(), now - 100),
                ipv4("10.1.2.3", 8333, now), ipv4("192.168.1.1", 8333, now), ipv4("169.254.0.1", 8333, now),
                ipv4("224.0.0.1", 8333, now), ipv4("1.2.3", 8333, now), ipv4("127.0.0.1", 0, now),
                Address.newBuilder().setTimestamp((int) now).setIpv6("fe80::1").setServices(1).setPort(8333).build(),
                Address.newBuilder().setTimestamp((int) now).setTorv3("x".repeat(52) + ".onion").setServices(1).setPort(8333).build());
        template.sendBody("bus:publish", message(millis, false, true, "127.0.0.1:50001", entries));
        // outbound messages (our node's own gossip) and getaddr answers are not checked
        template.sendBody("bus:publish", message(millis, false, false, "127.0.0.1:50001", entries));
        template.sendBody("bus:publish", message(millis, true, true, "127.0.0.1:50002",
                IntStream.range(0, 1000).mapToObj(i -> ipv4("127.0.0.1", closedPort, now)).toList()));
        await().atMost(Duration.ofSeconds(10)).until(() -> rows().size() == 4);
        // the same peer again, now from the success cache, in an addrv2 message; the closed port is not dialled again
        template.sendBody("bus:publish", message(millis, true, true, "[::1]:50003", List.of(ipv4("127.0.0.1", peerPort, now - 100),
                ipv4("127.0.0.1", closedPort, now))));
        await().atMost(Duration.ofSeconds(10)).until(() -> rows().size() == 5);

        List<String> rows = rows();
        String base = "IPv4(127.0.0.1),%d,9," + now + ",IPv4,%s,%s,7,false,";
        String success = row(rows, peerPort, 0);
        assertTrue(success.matches(String.format(base, peerPort, "addr", "127.0.0.1")
                .replace("(", "\\(").replace(")", "\\)")
                + "true,false,true,/peer-observer-camel:0\\.1\\.0/,true,70016,9,0,\\d+,\\d+,0\\.0\\.0\\.0,0,,v2"), success);
        long versionTime = Long.parseLong(success.split(",")[18]);
        assertTrue(Math.abs(versionTime - now) < 60, success);
        assertEquals(String.format(base, peerPort, "addrv2", "::1") + "true,true,false,,false,0,0,-1,0,0,,0,,", row(rows, peerPort, 1));
        assertEquals(String.format(base, closedPort, "addr", "127.0.0.1") + "false,false,false,,false,0,0,-1,0,0,,0,"
                + "cannot connect: Connection refused,neither", row(rows, closedPort, 0));
        String timeout = row(rows, mute.getLocalPort(), 0);
        assertTrue(timeout.matches(String.format(base, mute.getLocalPort(), "addr", "127.0.0.1").replace("(", "\\(").replace(")", "\\)")
                + "false,false,false,,false,0,0,-1,0,0,,0,timed out waiting for its v2 key after \\d+ ms,neither"), timeout);
        assertEquals(String.format(base, garbage.getLocalPort(), "addr", "127.0.0.1") + "false,false,false,,false,0,0,-1,0,0,,0,"
                + "the node did not answer in v1 regtest framing,neither", row(rows, garbage.getLocalPort(), 0));

        String m = metrics();
        List<String> lines = List.of(m.split("\n"));
        for (String expected : List.of(
                "connectivitycheck_addr_tried{addr_version=\"addr\",network=\"IPv4\"} 4",
                "connectivitycheck_addr_tried{addr_version=\"addrv2\",network=\"IPv4\"} 1",
                "connectivitycheck_addr_cached{addr_version=\"addrv2\",network=\"IPv4\"} 1",
                "connectivitycheck_addr_successful_connection{addr_version=\"addr\",network=\"IPv4\",source_ip=\"127.0.0.1\"} 1",
                "connectivitycheck_addr_successful_connection{addr_version=\"addrv2\",network=\"IPv4\",source_ip=\"::1\"} 1",
                "connectivitycheck_addr_unsuccessful_connection{addr_version=\"addr\",network=\"IPv4\",source_ip=\"127.0.0.1\"} 3",
                "# TYPE connectivitycheck_addr_addr_timestamp_offset_seconds histogram",
                "connectivitycheck_addr_addr_timestamp_offset_seconds_bucket{addr_version=\"addr\",network=\"IPv4\",successful=\"no\",timestamp_offset=\"past\",le=\"64\"} 0",
                "connectivitycheck_addr_addr_timestamp_offset_seconds_bucket{addr_version=\"addr\",network=\"IPv4\",successful=\"no\",timestamp_offset=\"past\",le=\"128\"} 2",
                "connectivitycheck_addr_addr_timestamp_offset_seconds_bucket{addr_version=\"addr\",network=\"IPv4\",successful=\"no\",timestamp_offset=\"past\",le=\"+Inf\"} 2",
                "connectivitycheck_addr_addr_timestamp_offset_seconds_sum{addr_version=\"addr\",network=\"IPv4\",successful=\"no\",timestamp_offset=\"past\"} 200",
                "connectivitycheck_addr_addr_timestamp_offset_seconds_count{addr_version=\"addr\",network=\"IPv4\",successful=\"no\",timestamp_offset=\"past\"} 2",
                "connectivitycheck_addr_addr_timestamp_offset_seconds_bucket{addr_version=\"addr\",network=\"IPv4\",successful=\"no\",timestamp_offset=\"future\",le=\"4\"} 0",
                "connectivitycheck_addr_addr_timestamp_offset_seconds_bucket{addr_version=\"addr\",network=\"IPv4\",successful=\"no\",timestamp_offset=\"future\",le=\"8\"} 1",
                "connectivitycheck_addr_addr_timestamp_offset_seconds_count{addr_version=\"addr\",network=\"IPv4\",successful=\"yes\",timestamp_offset=\"past\"} 1",
                "connectivitycheck_addr_addr_timestamp_offset_seconds_count{addr_version=\"addrv2\",network=\"IPv4\",successful=\"yes\",timestamp_offset=\"past\"} 1",
                "connectivitycheck_check_skipped{reason=\"getaddr_answer\"} 1000",
                "connectivitycheck_check_skipped{reason=\"private\"} 2",
                "connectivitycheck_check_skipped{reason=\"link-local\"} 2",
                "connectivitycheck_check_skipped{reason=\"multicast\"} 1",
                "connectivitycheck_check_skipped{reason=\"bad_address\"} 1",
                "connectivitycheck_check_skipped{reason=\"bad_port\"} 1",
                "connectivitycheck_check_skipped{reason=\"no_proxy\"} 1",
                "connectivitycheck_check_skipped{reason=\"repeated\"} 2",
                "connectivitycheck_check_in_flight 0",
                "connectivitycheck_check_dials 4",
                "connectivitycheck_check_transport{network=\"IPv4\",transport=\"v2\"} 1",
                "connectivitycheck_check_transport{network=\"IPv4\",transport=\"neither\"} 3")) {
            assertTrue(lines.contains(expected), expected + " in\n" + m);
        }
        // no Tor exit list configured: no *_tor_exit series, as upstream with an empty list
        assertTrue(!m.contains("tor_exit{"), m);
        assertEquals(List.of("connectivitycheck_addr_addr_timestamp_offset_seconds", "connectivitycheck_addr_cached",
                "connectivitycheck_addr_successful_connection", "connectivitycheck_addr_tried",
                "connectivitycheck_addr_unsuccessful_connection", "connectivitycheck_check_dials", "connectivitycheck_check_skipped",
                "connectivitycheck_check_transport", "connectivitycheck_check_in_flight"),
                lines.stream().filter(l -> l.startsWith("# TYPE")).map(l -> l.split(" ")[2]).collect(Collectors.toList()));
    }

    private List<String> rowsOrEmpty() throws IOException {
        return rows();
    }

    private boolean metricsReady() {
        try {
            return check().metricsPort() > 0;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
