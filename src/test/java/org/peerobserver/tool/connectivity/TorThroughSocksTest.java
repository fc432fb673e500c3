package org.peerobserver.tool.connectivity;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.testing.AppTestSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.peerobserver.tool.connectivity.ConnectivityEvents.message;

/** A torv3 address is dialled through the SOCKS5 proxy, by its onion name, and handshakes with the peer behind it. */
class TorThroughSocksTest extends AppTestSupport {
    static final String ONION = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion";
    static final Path csvDir = ConnectivityCheckRouteTest.tempDir();
    static final int peerPort = ConnectivityCheckRouteTest.freePort();
    static final Socks5Server proxy = socks();

    static Socks5Server socks() {
        try {
            return new Socks5Server(peerPort);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Properties settings() {
        return props("tools", "connectivity-check", "extractors", "p2p",
                "camel.component.bitcoin-p2p.configuration.port", Integer.toString(peerPort), "camel.component.bitcoin-p2p.configuration.network", "regtest", "camel.component.bitcoin-p2p.configuration.ping-interval", "0",
                "connectivity.network", "regtest", "connectivity.tor-proxy", "127.0.0.1:" + proxy.port(),
                "connectivity.csv-dir", csvDir.toString(), "connectivity.metrics-address", "127.0.0.1:0");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        proxy.close();
        ConnectivityCheckRouteTest.deleteDir(csvDir);
    }

    @Test
    void onionPeerIsReachedThroughTheProxy() {
        long millis = System.currentTimeMillis();
        String upstreamText = ONION.substring(0, 52) + ".onion";
        Address onion = Address.newBuilder().setTimestamp((int) (millis / 1000)).setTorv3(upstreamText).setServices(9).setPort(8333).build();
        template.sendBody("bus:publish", message(millis, true, true, "203.0.113.9:8333", List.of(onion)));
        ConnectivityCheck check = context.getRegistry().lookupByNameAndType("connectivityCheck", ConnectivityCheck.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> check.metrics().tried.value("TorV3", "addrv2") == 1);
        assertEquals(List.of(ONION + ":8333"), proxy.requests);
        assertEquals(1, check.metrics().successful.value("TorV3", "addrv2", "203.0.113.9"));
        assertEquals(1, check.getDials());
    }
}
