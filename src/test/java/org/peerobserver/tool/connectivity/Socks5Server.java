package org.peerobserver.tool.connectivity;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal SOCKS5 proxy (RFC 1928, no authentication, CONNECT to a domain name), standing in for Tor: it records
 * which name:port it was asked for and connects every request to one loopback port.
 */
final class Socks5Server implements AutoCloseable {
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final int target;

    Socks5Server(int target) throws IOException {
        this.target = target;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::serve, "socks5");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                DataInputStream in = new DataInputStream(client.getInputStream());
                OutputStream out = client.getOutputStream();
                if (in.readByte() != 5) {
                    client.close();
                    continue;
                }
                in.readNBytes(in.readUnsignedByte());        // offered methods
                out.write(new byte[] {5, 0});                 // no authentication
                byte[] request = in.readNBytes(4);            // VER CMD RSV ATYP
                if (request[1] != 1 || request[3] != 3) {
                    out.write(new byte[] {5, 8, 0, 1, 0, 0, 0, 0, 0, 0});  // only CONNECT to names
                    client.close();
                    continue;
                }
                String name = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.US_ASCII);
                requests.add(name + ":" + in.readUnsignedShort());
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                out.write(new byte[] {5, 0, 0, 1, 0, 0, 0, 0, 0, 0});
                pipe(client.getInputStream(), upstream.getOutputStream(), upstream);
                pipe(upstream.getInputStream(), out, client);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pipe(InputStream from, OutputStream to, Socket closeWhenDone) {
        Thread t = new Thread(() -> {
            try (closeWhenDone) {
                from.transferTo(to);
            } catch (IOException ignored) {
                // one side closed: so does the other
            }
        }, "socks5-pipe");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
