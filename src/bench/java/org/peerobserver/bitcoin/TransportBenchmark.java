package org.peerobserver.bitcoin;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Transport decoding on one core: a mainnet-like mix of messages cut out of the byte stream and checked, in v1
 * (header, SHA256d checksum) and in BIP324 v2 (length decryption, ChaCha20-Poly1305). The mix, per operation: one
 * block of 2,000 transactions, 1,000 transactions, 2,000 inv of 1 to 8 items, 100 ping/pong pairs, 20 addrv2 of 10
 * addresses and 10 feefilter; {@link #mixBytes} bytes (printed at setup). MB/s = ops/s times that.
 *
 * <p>Run with {@code mvn -Pbench test-compile exec:exec -Dbench=TransportBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TransportBenchmark {
    record Msg(String command, byte[] payload) {
    }

    List<Msg> mix;
    byte[] v1Stream;
    byte[] v2Stream;
    V2Transport receiver;
    long mixBytes;

    @Setup(Level.Trial)
    public void mix() {
        mix = new ArrayList<>();
        byte[] tx = Hashes.fromHex(Vectors.SEGWIT_TX);
        byte[] header = Hashes.fromHex(Vectors.GENESIS_BLOCK.substring(0, 160));
        ByteBuffer block = ByteBuffer.allocate(80 + 3 + 2000 * tx.length);
        block.put(header).put((byte) 0xfd).put((byte) (2000 & 0xff)).put((byte) (2000 >> 8));
        for (int i = 0; i < 2000; i++) {
            block.put(tx);
        }
        mix.add(new Msg("block", block.array()));
        for (int i = 0; i < 3000; i++) {
            if (i % 3 == 0) {
                mix.add(new Msg("tx", tx));
            }
            byte[] inv = new byte[1 + 36 * (1 + i % 8)];
            inv[0] = (byte) (1 + i % 8);
            mix.add(new Msg("inv", inv));
            if (i % 30 == 0) {
                mix.add(new Msg("ping", PayloadEncoder.nonce(i)));
                mix.add(new Msg("pong", PayloadEncoder.nonce(i)));
            }
            if (i % 150 == 0) {
                mix.add(new Msg("addrv2", new byte[1 + 10 * 13]));
            }
            if (i % 300 == 0) {
                mix.add(new Msg("feefilter", new byte[8]));
            }
        }
        ByteArrayOutputStream v1 = new ByteArrayOutputStream();
        for (Msg m : mix) {
            v1.writeBytes(FrameHeader.frame(BitcoinNetwork.MAINNET, m.command(), m.payload()));
        }
        v1Stream = v1.toByteArray();
        mixBytes = v1Stream.length;
        System.out.println("mix: " + mix.size() + " messages, " + mixBytes + " bytes in v1");
    }

    /** A fresh v2 session per operation (the ciphers move on with every packet): handshake, then the mix encrypted. */
    @Setup(Level.Invocation)
    public void session() throws P2pCodecException {
        SecureRandom random = new SecureRandom();
        V2Transport sender = new V2Transport(BitcoinNetwork.MAINNET, true, random, PayloadDecoder.MAX_PAYLOAD);
        receiver = new V2Transport(BitcoinNetwork.MAINNET, false, random, PayloadDecoder.MAX_PAYLOAD);
        ByteArrayOutputStream toSender = new ByteArrayOutputStream();
        ByteArrayOutputStream toReceiver = new ByteArrayOutputStream();
        ByteBuffer greeting = ByteBuffer.wrap(sender.greeting());
        receiver.receive(greeting, toSender::writeBytes);
        // the sender's garbage stays unread until its terminator follows
        toReceiver.write(greeting.array(), greeting.position(), greeting.remaining());
        sender.receive(ByteBuffer.wrap(toSender.toByteArray()), toReceiver::writeBytes);
        receiver.receive(ByteBuffer.wrap(toReceiver.toByteArray()), b -> { });
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (Msg m : mix) {
            sender.send(m.command(), m.payload(), stream::writeBytes);
        }
        v2Stream = stream.toByteArray();
    }

    @Benchmark
    public void v1(Blackhole bh) throws P2pCodecException {
        int off = 0;
        while (off < v1Stream.length) {
            FrameHeader h = FrameHeader.parse(v1Stream, off, PayloadDecoder.MAX_PAYLOAD);
            off += FrameHeader.SIZE;
            byte[] payload = java.util.Arrays.copyOfRange(v1Stream, off, off + h.length());
            h.verify(payload, 0, payload.length);
            off += h.length();
            bh.consume(payload);
        }
    }

    @Benchmark
    public void v2(Blackhole bh) throws P2pCodecException {
        ByteBuffer in = ByteBuffer.wrap(v2Stream);
        for (V2Transport.Message m; (m = receiver.receive(in, b -> { })) != null; ) {
            bh.consume(m);
        }
    }
}
