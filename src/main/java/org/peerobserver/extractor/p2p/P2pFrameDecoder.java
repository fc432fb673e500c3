package org.peerobserver.extractor.p2p;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.peerobserver.bitcoin.FrameHeader;
import org.peerobserver.bitcoin.P2pCodecException;
import org.peerobserver.bitcoin.BitcoinNetwork;

/**
 * Cuts the byte stream into checked v1 frames. A header is judged before its payload is waited for: a length
 * over the current limit (small until the handshake is done, 4,000,000 after) is refused at once, so no peer
 * makes us buffer more than the limit. On the very first bytes of a connection a wrong message start is told
 * apart: another network's magic, or (anything else) a BIP324 v2 handshake, which Bitcoin Core's responder
 * would assume too. After the first failure every further byte is discarded.
 */
final class P2pFrameDecoder extends ByteToMessageDecoder {
    /** Largest payload before the handshake is done: a version with the longest user agent fits many times. */
    static final int MAX_HANDSHAKE_PAYLOAD = 4096;

    private final BitcoinNetwork network;
    private int maxPayload = MAX_HANDSHAKE_PAYLOAD;
    private boolean first = true;
    private FrameHeader pending;
    private boolean failed;
    private boolean truncated;
    private final byte[] header = new byte[FrameHeader.SIZE];

    P2pFrameDecoder(BitcoinNetwork network) {
        this.network = network;
    }

    void handshakeDone(int limit) {
        maxPayload = limit;
    }

    /** True when the connection ended with part of a frame buffered. */
    boolean truncated() {
        return truncated;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws DropException {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
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

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (!failed && (pending != null || in.isReadable())) {
            truncated = true;
        }
    }
}
