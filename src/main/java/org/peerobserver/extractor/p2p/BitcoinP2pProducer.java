package org.peerobserver.extractor.p2p;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.peerobserver.bitcoin.FrameHeader;
import org.peerobserver.bitcoin.P2pCodecException;
import org.peerobserver.bitcoin.BitcoinNetwork;
import org.peerobserver.bitcoin.PayloadDecoder;
import org.peerobserver.bitcoin.PayloadEncoder;
import org.peerobserver.bitcoin.V2Transport;
import org.peerobserver.proto.ebpf.message.Version;

/**
 * {@code bitcoin-p2p:handshake}: dials the node, sends our version and waits for the node's. The body becomes a
 * map: {@code reachable}, then either the node's version fields ({@code protocolVersion}, {@code services},
 * {@code userAgent}, {@code startHeight}, {@code relay}, {@code timestamp}, {@code nonce}, {@code senderAddress},
 * {@code senderPort}) or {@code failure}, a reason in words;
 * plus {@code address}, {@code millis} and {@code transport}: {@code v2} (BIP324), {@code v1}, or {@code neither}.
 * Unless v2 is disabled, v2 is tried first; a node that closes the connection before sending its v2 key, or
 * answers in v1, is dialled again in v1 (unless v2 is required), as Bitcoin Core does.
 * A failure is an answer, not an exception, so a checker can route on it.
 */
public class BitcoinP2pProducer extends DefaultProducer {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Set on a v2 attempt that the node closed before sending its key, or answered in v1: try v1. */
    private static final String V1_NEXT = "v1Next";

    BitcoinP2pProducer(BitcoinP2pEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public BitcoinP2pEndpoint getEndpoint() {
        return (BitcoinP2pEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) {
        BitcoinP2pEndpoint e = getEndpoint();
        String host = exchange.getIn().getHeader(BitcoinP2pConstants.HOST, e.getConfiguration().getHost(), String.class);
        Integer port = exchange.getIn().getHeader(BitcoinP2pConstants.PORT, Integer.class);
        Map<String, Object> result = handshake(host, port == null || port == 0 ? e.effectivePort() : port);
        exchange.getMessage().setHeader(BitcoinP2pConstants.REACHABLE, result.get("reachable"));
        exchange.getMessage().setBody(result);
    }

    Map<String, Object> handshake(String host, int port) {
        V2Setting v2 = getEndpoint().getConfiguration().v2();
        Map<String, Object> result = attempt(host, port, v2 != V2Setting.DISABLE);
        boolean reachable = Boolean.TRUE.equals(result.get("reachable"));
        if (!reachable && v2 == V2Setting.PREFER && Boolean.TRUE.equals(result.remove(V1_NEXT))) {
            result = attempt(host, port, false);
            reachable = Boolean.TRUE.equals(result.get("reachable"));
        }
        result.remove(V1_NEXT);
        if (!reachable) {
            result.put("transport", "neither");
        }
        return result;
    }

    private Map<String, Object> attempt(String host, int port, boolean v2) {
        BitcoinP2pEndpoint e = getEndpoint();
        BitcoinP2pConfiguration c = e.getConfiguration();
        BitcoinNetwork network = c.p2pNetwork();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("address", BitcoinP2pConsumer.hostPort(host, port));
        long start = System.nanoTime();
        String waitingFor = "connecting";
        InetSocketAddress proxy = c.socksProxyAddress();
        // through a proxy the name stays unresolved, so the JDK's SOCKS5 client hands it to the proxy (.onion, .i2p)
        try (Socket socket = proxy == null ? new Socket() : new Socket(new Proxy(Proxy.Type.SOCKS, proxy))) {
            socket.connect(proxy == null ? new InetSocketAddress(host, port) : InetSocketAddress.createUnresolved(host, port),
                    (int) c.getConnectTimeout().toMillis());
            long deadline = System.nanoTime() + c.getReadTimeout().toNanos();
            OutputStream out = socket.getOutputStream();
            Version ours = e.ourVersion(socket.getRemoteSocketAddress(), RANDOM.nextLong());
            if (v2) {
                waitingFor = "waiting for its v2 key";
                return versionV2(socket, deadline, network, PayloadEncoder.version(ours), result, start);
            }
            out.write(FrameHeader.frame(network, "version", PayloadEncoder.version(ours)));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[FrameHeader.SIZE];
            waitingFor = "waiting for its version";
            boolean first = true;
            while (true) {
                socket.setSoTimeout(remainingMillis(deadline));
                in.readFully(header);
                int magic = FrameHeader.magic(header, 0);
                if (magic != network.magic()) {
                    BitcoinNetwork other = BitcoinNetwork.ofMagic(magic);
                    return failed(result, start, other != null ? "the node is on " + other.displayName() + ", not " + network.displayName()
                            : first ? "the node did not answer in v1 " + network.displayName() + " framing" : "bad message start");
                }
                first = false;
                FrameHeader h = FrameHeader.parse(header, 0, P2pFrameDecoder.MAX_HANDSHAKE_PAYLOAD);
                byte[] payload = new byte[h.length()];
                socket.setSoTimeout(remainingMillis(deadline));
                in.readFully(payload);
                h.verify(payload, 0, payload.length);
                if (h.command().equals("version")) {
                    result.put("transport", "v1");
                    return answered(result, PayloadDecoder.version(payload), start);
                }
            }
        } catch (SocketTimeoutException x) {
            return failed(result, start, "timed out " + waitingFor + " after " + ((System.nanoTime() - start) / 1_000_000) + " ms");
        } catch (UnknownHostException x) {
            return failed(result, start, "unknown host " + host);
        } catch (ConnectException | NoRouteToHostException x) {
            return failed(result, start, "cannot connect: " + x.getMessage());
        } catch (EOFException x) {
            return failed(result, start, "the node closed the connection " + waitingFor.replace("waiting for", "before sending"));
        } catch (IOException x) {
            return failed(result, start, "connection failed " + waitingFor + ": " + x.getMessage());
        } catch (P2pCodecException x) {
            return failed(result, start, "the node sent a bad message: " + x.getMessage());
        } catch (IllegalArgumentException x) {
            return failed(result, start, String.valueOf(x.getMessage()));
        }
    }

    /** Our version in v2, then the node's messages until its version. */
    private static Map<String, Object> versionV2(Socket socket, long deadline, BitcoinNetwork network, byte[] version,
            Map<String, Object> result, long start) throws IOException, P2pCodecException {
        OutputStream out = socket.getOutputStream();
        V2Transport v2 = new V2Transport(network, true, RANDOM, P2pFrameDecoder.MAX_HANDSHAKE_PAYLOAD);
        Consumer<byte[]> send = bytes -> {
            try {
                out.write(bytes);
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        };
        out.write(v2.greeting());
        v2.send("version", version, send);
        InputStream in = socket.getInputStream();
        // room for the node's key, garbage and terminator, and a handshake-sized packet after them
        ByteBuffer buffer = ByteBuffer.allocate(2 * (V2Transport.KEY_SIZE + V2Transport.MAX_GARBAGE + P2pFrameDecoder.MAX_HANDSHAKE_PAYLOAD));
        try {
            while (true) {
                socket.setSoTimeout(remainingMillis(deadline));
                int n;
                try {
                    n = in.read(buffer.array(), buffer.position(), buffer.remaining());
                } catch (SocketException x) {
                    // a node that closes on our unread key resets the connection: as good as a close
                    if (!v2.keyReceived()) {
                        result.put(V1_NEXT, true);
                    }
                    throw x;
                }
                if (n < 0) {
                    if (!v2.keyReceived()) {
                        result.put(V1_NEXT, true);
                    }
                    throw new EOFException();
                }
                buffer.position(buffer.position() + n).flip();
                if (!v2.keyReceived() && buffer.remaining() >= 16 && FrameHeader.magic(buffer.array(), 0) == network.magic()) {
                    result.put(V1_NEXT, true);
                    return failed(result, start, "the node answered our v2 key in v1");
                }
                for (V2Transport.Message m; (m = v2.receive(buffer, send)) != null; ) {
                    if (m.command().equals("version")) {
                        result.put("transport", "v2");
                        return answered(result, PayloadDecoder.version(m.payload()), start);
                    }
                }
                buffer.compact();
            }
        } catch (UncheckedIOException x) {
            throw x.getCause();
        }
    }

    private static Map<String, Object> answered(Map<String, Object> result, Version v, long start) {
        result.put("reachable", true);
        result.put("protocolVersion", Integer.toUnsignedLong(v.getVersion()));
        result.put("services", v.getServices());
        result.put("userAgent", v.getUserAgent());
        result.put("startHeight", v.getStartHeight());
        result.put("relay", v.getRelay());
        result.put("timestamp", v.getTimestamp());
        result.put("nonce", v.getNonce());
        result.put("senderAddress", v.getSender().hasIpv4() ? v.getSender().getIpv4()
                : v.getSender().hasIpv6() ? v.getSender().getIpv6() : "");
        result.put("senderPort", v.getSender().getPort());
        result.put("millis", (System.nanoTime() - start) / 1_000_000);
        return result;
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException();
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private static Map<String, Object> failed(Map<String, Object> result, long start, String reason) {
        result.put("reachable", false);
        result.put("failure", reason);
        result.put("millis", (System.nanoTime() - start) / 1_000_000);
        return result;
    }
}
