package org.peerobserver.extractor.p2p;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.peerobserver.bitcoin.FrameHeader;
import org.peerobserver.bitcoin.BitcoinNetwork;
import org.peerobserver.bitcoin.PayloadEncoder;

/**
 * The frame decoder on Netty's embedded channel, fed valid frames mixed with garbage in random chunks: it
 * either hands out checked frames or fails with a {@link DropException}, nothing else. Capped in time like
 * the payload fuzz test.
 */
class P2pFrameDecoderFuzzTest {
    private static final long BUDGET_NANOS = 15_000_000_000L;
    private static final long START = System.nanoTime();

    @Provide
    Arbitrary<List<byte[]>> streams() {
        byte[] version = FrameHeader.frame(BitcoinNetwork.REGTEST, "version",
                PayloadEncoder.version(FakeNode.version(70016, "/fuzz/", 1)));
        byte[] ping = FrameHeader.frame(BitcoinNetwork.REGTEST, "ping", PayloadEncoder.nonce(5));
        byte[] verack = FrameHeader.frame(BitcoinNetwork.REGTEST, "verack", new byte[0]);
        Arbitrary<byte[]> piece = Arbitraries.oneOf(Arbitraries.of(version, ping, verack),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
                Arbitraries.of(version, ping).map(f -> {
                    byte[] c = f.clone();
                    c[(f.length * 7) % f.length] ^= 0x10;
                    return c;
                }));
        return piece.list().ofMaxSize(8);
    }

    @Property(tries = 3000)
    void onlyFramesOrDrops(@ForAll("streams") List<byte[]> pieces, @ForAll("chunks") int chunk) {
        if (System.nanoTime() - START > BUDGET_NANOS) {
            return;
        }
        P2pFrameDecoder decoder = new P2pFrameDecoder(BitcoinNetwork.REGTEST);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        List<Object> frames = new ArrayList<>();
        try {
            for (byte[] p : pieces) {
                for (int i = 0; i < p.length; i += chunk) {
                    ch.writeInbound(Unpooled.wrappedBuffer(p, i, Math.min(chunk, p.length - i)));
                    for (Object o; (o = ch.readInbound()) != null; ) {
                        frames.add(o);
                    }
                }
            }
        } catch (DecoderException e) {
            if (!(e.getCause() instanceof DropException)) {
                throw e;
            }
        } finally {
            ch.finishAndReleaseAll();
        }
        for (Object f : frames) {
            if (!(f instanceof P2pFrame)) {
                throw new AssertionError("not a frame: " + f);
            }
        }
    }

    @Provide
    Arbitrary<Integer> chunks() {
        return Arbitraries.integers().between(1, 64);
    }
}
