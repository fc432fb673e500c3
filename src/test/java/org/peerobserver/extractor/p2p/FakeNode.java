package org.peerobserver.extractor.p2p;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;

import org.peerobserver.bitcoin.FrameHeader;
import org.peerobserver.bitcoin.BitcoinNetwork;
import org.peerobserver.bitcoin.PayloadDecoder;
import org.peerobserver.bitcoin.PayloadEncoder;
import org.peerobserver.proto.ebpf.message.Version;
import org.peerobserver.proto.primitives.Address;

/** A scripted Bitcoin node on a blocking socket, for driving the listener message by message. */
public final class FakeNode implements AutoCloseable {
    record Message(String command, byte[] payload) {
    }

    final Socket socket;
    private final BitcoinNetwork network;
    private final OutputStream out;
    private final DataInputStream in;

    FakeNode(Socket socket, BitcoinNetwork network) throws IOException {
        this.socket = socket;
        this.network = network;
        socket.setSoTimeout(5000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    public static FakeNode connect(int port, BitcoinNetwork network) throws IOException {
        return new FakeNode(new Socket("127.0.0.1", port), network);
    }

    static Version version(int protocol, String userAgent, long nonce) {
        Address none = Address.newBuilder().setTimestamp(0).setServices(0).setIpv4("0.0.0.0").setPort(0).build();
        return Version.newBuilder().setVersion(protocol).setServices(9).setTimestamp(System.currentTimeMillis() / 1000)
                .setReceiver(none).setSender(none).setNonce(nonce).setUserAgent(userAgent).setStartHeight(120).setRelay(true).build();
    }

    public void send(String command, byte[] payload) throws IOException {
        raw(FrameHeader.frame(network, command, payload));
    }

    void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Message read() throws IOException {
        byte[] header = new byte[FrameHeader.SIZE];
        in.readFully(header);
        try {
            FrameHeader h = FrameHeader.parse(header, 0, PayloadDecoder.MAX_PAYLOAD);
            byte[] payload = new byte[h.length()];
            in.readFully(payload);
            h.verify(payload, 0, payload.length);
            if (h.magic() != network.magic()) {
                throw new IOException("wrong magic from the listener");
            }
            return new Message(h.command(), payload);
        } catch (org.peerobserver.bitcoin.P2pCodecException e) {
            throw new IOException(e.getMessage());
        }
    }

    /** Reads until {@code command} comes, skipping others. */
    Message expect(String command) throws IOException {
        while (true) {
            Message m = read();
            if (m.command().equals(command)) {
                return m;
            }
        }
    }

    /** The inbound handshake as Bitcoin Core does it; returns the listener's version. */
    public Version handshake() throws Exception {
        send("version", PayloadEncoder.version(version(70016, "/Satoshi:30.0.0/", 42)));
        Version theirs = PayloadDecoder.version(expect("version").payload());
        List<String> rest = List.of(read().command(), read().command(), read().command());
        if (!rest.equals(List.of("wtxidrelay", "sendaddrv2", "verack"))) {
            throw new AssertionError("after version: " + rest);
        }
        send("verack", PayloadEncoder.empty());
        return theirs;
    }

    /** True when the listener closed the connection (within the socket timeout). */
    boolean closedByPeer() throws IOException {
        try {
            while (in.read() >= 0) {
                // drain what was sent before the close
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException | java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
