package org.peerobserver.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTP as a stranger speaks it, over a plain socket to 127.0.0.1: half-sent requests, trickles, websocket
 * handshakes with any Host and Origin (java.net.http will not send a Host of our choosing).
 */
public final class RawHttp {
    /** What a slow or hostile client sends and then stops: a request head without its closing empty line. */
    public static final String HALF_SENT = "GET /metrics HTTP/1.1\r\nHost: x\r\n";

    private RawHttp() {
    }

    /** A connection to {@code port}, over TLS when {@code tls} is given (the handshake done). */
    public static Socket connect(int port, SSLSocketFactory tls) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        if (tls == null) {
            return s;
        }
        SSLSocket ssl = (SSLSocket) tls.createSocket(s, "127.0.0.1", port, true);
        ssl.startHandshake();
        return ssl;
    }

    /** A connection that has sent {@link #HALF_SENT} and nothing more. */
    public static Socket halfSent(int port, SSLSocketFactory tls) throws IOException {
        Socket s = connect(port, tls);
        send(s, HALF_SENT);
        return s;
    }

    public static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Sends a websocket handshake for {@code /events}; {@code origin} null: none. The socket stays open. */
    public static Socket websocket(int port, String host, String origin) throws IOException {
        Socket s = connect(port, null);
        send(s, "GET /events HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n");
        return s;
    }

    /** The status code of the answer's head (read up to its empty line), within {@code wait}. */
    public static int status(Socket s, Duration wait) throws IOException {
        s.setSoTimeout((int) wait.toMillis());
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before a whole answer head: " + head);
            }
            head.write(b);
        }
        String[] statusLine = head.toString(StandardCharsets.ISO_8859_1).split(" ", 3);
        return Integer.parseInt(statusLine[1]);
    }

    /** Whether the server closes the connection within {@code wait}, reading and dropping whatever it sends. */
    public static boolean closedWithin(Socket s, Duration wait) throws IOException {
        long end = System.nanoTime() + wait.toNanos();
        byte[] buffer = new byte[4096];
        while (true) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            s.setSoTimeout((int) Math.max(1, left));
            try {
                if (s.getInputStream().read(buffer) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                // reset by the server: closed as well
                return true;
            }
        }
    }
}
