package org.peerobserver.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The socket-layer recorder the no-dial tests rely on: it sees each connect, and stops those that would leave. */
class SocketDialsTest {
    @Test
    void recordsEveryConnectAndStopsThoseBeyondLoopback() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()); SocketDials dials = SocketDials.record()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", listener.getLocalPort()), 1000);
                assertTrue(s.isConnected());
            }
            try (Socket s = new Socket()) {
                // a documentation address: it could not be reached anyway, and the recorder stops it before the network
                IOException e = assertThrows(IOException.class, () -> s.connect(new InetSocketAddress("192.0.2.1", 8333), 1000));
                assertEquals("a test must not dial 192.0.2.1 (only loopback)", e.getCause().getMessage());
                assertTrue(!s.isConnected());
            }
            assertEquals(List.of("127.0.0.1:" + listener.getLocalPort(), "192.0.2.1:8333"), dials.attempts());
        }
    }

    /** LoopbackOnly keeps the whole test run on loopback, not only the tests that record. */
    @Test
    void everyTestIsKeptOnLoopback() throws IOException {
        try (Socket s = new Socket()) {
            IOException e = assertThrows(IOException.class, () -> s.connect(new InetSocketAddress("198.51.100.7", 8333), 1000));
            assertEquals("a test must not dial 198.51.100.7 (only loopback)", e.getCause().getMessage());
        }
    }
}
