package org.peerobserver.extractor.p2p;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.peerobserver.bitcoin.BitcoinNetwork;
import org.peerobserver.bitcoin.FrameHeader;
import org.peerobserver.bitcoin.P2pCodecException;
import org.peerobserver.bitcoin.V2Transport;

/**
 * The transport of one connection: cuts the byte stream into checked messages and frames what we send, in v1
 * or in BIP324 v2. A listener tells the two apart as Bitcoin Core does: a v1 peer's first 16 bytes are the
 * network magic and a {@code version} command, anything else is a v2 key. A length over the current limit
 * (small until the handshake is done, 4,000,000 after) is refused from the header alone, so no peer makes us
 * buffer more than the limit. After the first failure every further byte is discarded.
 */
final class P2pFrameDecoder extends ByteToMessageDecoder {
    /** Largest payload before the handshake is done: a version with the longest user agent fits many times. */
    static final int MAX_HANDSHAKE_PAYLOAD = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] VERSION_COMMAND = "version\0\0\0\0\0".getBytes(StandardCharsets.US_ASCII);

    /** Which transport: v1, v2, or (listener) whichever the peer opens with. */
    enum Transport { V1, V2, DETECT }

    private final BitcoinNetwork network;
    private final V2Setting v2Setting;
    private Transport transport;
    private V2Transport v2;
    private int maxPayload = MAX_HANDSHAKE_PAYLOAD;
    private boolean first = true;
    private FrameHeader pending;
    private boolean failed;
    private boolean truncated;
    private final byte[] header = new byte[FrameHeader.SIZE];

    /** A v1 decoder, as a listener with v2 disabled has. */
    P2pFrameDecoder(BitcoinNetwork network) {
        this(network, Transport.V1, V2Setting.DISABLE);
    }

    /**
     * {@code transport} V2 for a connection we dial in v2 (its greeting goes out on {@link #channelActive}), V1
     * for one in v1, DETECT for a listener's connection (when v2 is not disabled).
     */
    P2pFrameDecoder(BitcoinNetwork network, Transport transport, V2Setting v2Setting) {
        this.network = network;
        this.transport = transport;
        this.v2Setting = v2Setting;
        if (transport == Transport.V2) {
            v2 = new V2Transport(network, true, RANDOM, MAX_HANDSHAKE_PAYLOAD);
        }
    }

    void handshakeDone(int limit) {
        maxPayload = limit;
        if (v2 != null) {
            v2.maxPayload(limit);
        }
    }

    /** True when the connection ended with part of a message buffered. */
    boolean truncated() {
        return truncated;
    }

    /** "v1" or "v2" once known; "unknown" while a listener has not seen enough. */
    String transportName() {
        return transport == Transport.DETECT ? "unknown" : transport.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** True for a v2 connection we dialled whose peer never sent its key: a v1-only node closes on our key. */
    boolean v2Unanswered() {
        return v2 != null && !v2.keyReceived();
    }

    /** The BIP324 session id (hex) of a v2 connection, else null. */
    String sessionId() {
        return v2 == null ? null : v2.sessionId();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (transport == Transport.V2) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(v2.greeting()));
        }
        super.channelActive(ctx);
    }

    /** Sends one message in the connection's transport (a v2 message waits for the key exchange if need be). */
    void send(Channel channel, String command, byte[] payload) {
        if (transport == Transport.V2) {
            v2.send(command, payload, bytes -> channel.write(Unpooled.wrappedBuffer(bytes)));
            channel.flush();
        } else {
            channel.writeAndFlush(Unpooled.wrappedBuffer(FrameHeader.frame(network, command, payload)));
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws DropException {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            if (transport == Transport.DETECT && !detect(in)) {
                return;
            }
            if (transport == Transport.V2) {
                decodeV2(ctx, in, out);
            } else {
                decodeV1(in, out);
            }
        } catch (P2pCodecException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw new DropException(DropReason.of(e.kind()), e.getMessage());
        } catch (DropException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    /** Decides v1 or v2 from the first 16 bytes; false while fewer have arrived. */
    private boolean detect(ByteBuf in) throws DropException {
        if (in.readableBytes() < 16) {
            return false;
        }
        if (v1Version(in) && in.getInt(in.readerIndex()) == network.magic()) {
            if (v2Setting == V2Setting.REQUIRE) {
                throw new DropException(DropReason.V1_REFUSED, "it opened in v1; P2P_V2_TRANSPORT=require");
            }
            transport = Transport.V1;
        } else if (v1Version(in) || v2Setting == V2Setting.DISABLE) {
            // another network's v1 version, or v2 we do not serve: the v1 decoder says which
            transport = Transport.V1;
        } else {
            transport = Transport.V2;
            v2 = new V2Transport(network, false, RANDOM, maxPayload);
        }
        return true;
    }

    /** True when bytes 4 to 16 are a v1 {@code version} command (whichever the magic before them). */
    private static boolean v1Version(ByteBuf in) {
        byte[] command = new byte[VERSION_COMMAND.length];
        in.getBytes(in.readerIndex() + 4, command);
        return Arrays.equals(command, VERSION_COMMAND);
    }

    private void decodeV2(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws P2pCodecException, DropException {
        if (!v2.keyReceived() && in.readableBytes() >= 16 && v1Version(in)) {
            // a v1 node that speaks first instead of closing on our key: it gets dialled again in v1 too
            throw new DropException(DropReason.V2_UNANSWERED, "it answered our v2 key with a v1 version message");
        }
        ByteBuffer buffer = in.nioBuffer();
        int start = buffer.position();
        V2Transport.Message m = v2.receive(buffer, bytes -> ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes)));
        in.skipBytes(buffer.position() - start);
        if (m != null) {
            // one message per call, as in v1: the verack that raises the size limit takes effect for the next
            out.add(new P2pFrame(m.command(), m.payload()));
        }
    }

    private void decodeV1(ByteBuf in, List<Object> out) throws P2pCodecException, DropException {
        if (pending == null) {
            if (first && in.readableBytes() >= 4) {
                int magic = in.getInt(in.readerIndex());
                if (magic != network.magic()) {
                    BitcoinNetwork other = BitcoinNetwork.ofMagic(magic);
                    throw other != null
                            ? new DropException(DropReason.WRONG_NETWORK, "its messages are for " + other.displayName()
                            + ", this endpoint is on " + network.displayName())
                            : new DropException(DropReason.V2_TRANSPORT, "first bytes are not a v1 " + network.displayName()
                            + " header");
                }
            }
            if (in.readableBytes() < FrameHeader.SIZE) {
                return;
            }
            in.getBytes(in.readerIndex(), header);
            if (FrameHeader.magic(header, 0) != network.magic()) {
                throw new DropException(DropReason.BAD_MAGIC, "a frame does not start with the " + network.displayName()
                        + " magic");
            }
            pending = FrameHeader.parse(header, 0, maxPayload);
            in.skipBytes(FrameHeader.SIZE);
            first = false;
        }
        if (in.readableBytes() < pending.length()) {
            return;
        }
        byte[] payload = new byte[pending.length()];
        in.readBytes(payload);
        FrameHeader h = pending;
        pending = null;
        h.verify(payload, 0, payload.length);
        // one frame per call: Netty hands it on before the next header is judged, so the verack that
        // raises the size limit takes effect for the frame right behind it
        out.add(new P2pFrame(h.command(), payload));
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (!failed && (pending != null || in.isReadable())) {
            truncated = true;
        }
    }
}
