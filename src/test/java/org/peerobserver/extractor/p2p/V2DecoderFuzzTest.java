package org.peerobserver.extractor.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.peerobserver.bitcoin.BitcoinNetwork;
import org.peerobserver.bitcoin.PayloadEncoder;
import org.peerobserver.bitcoin.V2Transport;

/**
 * The listener's transport decoder on Netty's embedded channel, fed a real v2 session (our own initiator, decoys
 * included) that is then damaged: bytes flipped (wrong tags, wrong lengths), cut short, garbage put in. It either
 * hands out the messages sent before the damage, then fails with a {@link DropException} of a v2 reason or waits
 * for more; nothing else.
 * Capped in time like the other fuzz tests.
 */
class V2DecoderFuzzTest {
    private static final long BUDGET_NANOS = 15_000_000_000L;
    private static final long START = System.nanoTime();
    private static final Set<DropReason> V2_REASONS = Set.of(DropReason.BAD_TAG, DropReason.OVERSIZE, DropReason.V2_HANDSHAKE,
            DropReason.BAD_COMMAND);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> SENT = List.of("version", "verack", "ping", "inv", "sendaddrv2");

    static EmbeddedChannel listener() {
        return new EmbeddedChannel(new P2pFrameDecoder(BitcoinNetwork.REGTEST, P2pFrameDecoder.Transport.DETECT, V2Setting.PREFER));
    }

    static byte[] drain(EmbeddedChannel ch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    /**
     * A listener that has our initiator's key and answered it, and what our initiator sends next: garbage
     * terminator, version packet, a decoy, then the messages of {@link #SENT}.
     */
    record Session(EmbeddedChannel listener, byte[] stream) {
    }

    static Session session() {
        V2Transport initiator = new V2Transport(BitcoinNetwork.REGTEST, true, RANDOM, 4096);
        EmbeddedChannel listener = listener();
        listener.writeInbound(Unpooled.wrappedBuffer(initiator.greeting()));
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        try {
            assertEquals(null, initiator.receive(ByteBuffer.wrap(drain(listener)), rest::writeBytes));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertTrue(initiator.versionReceived());
        rest.writeBytes(initiator.decoy(10));
        for (String command : SENT) {
            initiator.send(command, command.equals("ping") ? PayloadEncoder.nonce(1) : new byte[3], rest::writeBytes);
        }
        return new Session(listener, rest.toByteArray());
    }

    /** Feeds {@code stream} to the session's listener in chunks: the commands it handed out, or the drop reason. */
    static Object replay(EmbeddedChannel ch, byte[] stream, int chunk) {
        List<String> commands = new ArrayList<>();
        try {
            for (int i = 0; i < stream.length; i += chunk) {
                ch.writeInbound(Unpooled.wrappedBuffer(stream, i, Math.min(chunk, stream.length - i)));
                for (Object o; (o = ch.readInbound()) != null; ) {
                    commands.add(((P2pFrame) o).command());
                }
            }
            return commands;
        } catch (DecoderException e) {
            if (e.getCause() instanceof DropException d) {
                return d.reason();
            }
            throw e;
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void anUndamagedSessionComesThroughWhole() {
        Session s = session();
        assertEquals(SENT, replay(s.listener(), s.stream(), 7));
    }

    @Provide
    Arbitrary<Integer> chunks() {
        return Arbitraries.integers().between(1, 600);
    }

    @Provide
    Arbitrary<byte[]> junk() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40);
    }

    /**
     * A byte flipped (a wrong tag, a wrong length: mostly oversize), the stream cut short, or junk put in: the
     * messages before the damage come out, then the connection is refused with a v2 reason (or, cut short,
     * simply ends). Nothing else happens: no other exception, no message that was not sent.
     */
    @Property(tries = 400)
    void damagedSessionsAreRefusedCleanly(@ForAll("chunks") int chunk, @ForAll("junk") byte[] junk,
            @ForAll("chunks") int where, @ForAll("chunks") int kind) {
        if (System.nanoTime() - START > BUDGET_NANOS) {
            return;
        }
        Session s = session();
        byte[] stream = s.stream();
        int at = (int) ((long) where * stream.length / 601);
        byte[] damaged;
        switch (kind % 3) {
            case 0:
                damaged = stream.clone();
                damaged[at] ^= (byte) (1 << (junk[0] & 7));
                break;
            case 1:
                damaged = java.util.Arrays.copyOf(stream, at);
                break;
            default:
                damaged = new byte[stream.length + junk.length];
                System.arraycopy(stream, 0, damaged, 0, at);
                System.arraycopy(junk, 0, damaged, at, junk.length);
                System.arraycopy(stream, at, damaged, at + junk.length, stream.length - at);
        }
        Object result = replay(s.listener(), damaged, chunk);
        if (result instanceof DropReason reason) {
            assertTrue(V2_REASONS.contains(reason), "refused for " + reason);
        } else {
            @SuppressWarnings("unchecked")
            List<String> commands = (List<String>) result;
            assertEquals(SENT.subList(0, commands.size()), commands, "only what was sent, in order");
            // a damaged packet never comes out: the decoder refuses it, or (a damaged length or terminator) waits
            // for bytes that do not come, which the handshake and ping timeouts end
            assertTrue(commands.size() < SENT.size(), "damage went unnoticed: " + commands);
        }
    }

    @Test
    void noTerminatorWithinTheGarbageAllowedIsRefused() {
        byte[] stream = new byte[64 + V2Transport.MAX_GARBAGE + 16];
        new SecureRandom().nextBytes(stream);
        stream[4] = 1;
        assertEquals(DropReason.V2_HANDSHAKE, replay(listener(), stream, 1000));
    }
}
