package org.peerobserver.bitcoin;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import org.bitcoinj.core.AddressV2Message;
import org.bitcoinj.core.Block;
import org.bitcoinj.core.InventoryMessage;
import org.bitcoinj.core.Transaction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.message.Metadata;
import org.peerobserver.proto.primitives.ConnType;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.proto.primitives.InventoryItem;

/**
 * Decode throughput of our payload decoder (into upstream's protobuf messages) against bitcoinj 0.17's
 * deserializers, on the same payload bytes in the same run: an inv of 1,000 items, an addrv2 of 1,000
 * addresses, a segwit transaction, and a block of 2,000 transactions.
 *
 * <p>Our decoder computes txid and wtxid of every transaction (upstream's events carry both); bitcoinj
 * computes them only when asked, so its tx and block are measured twice: parse only, and parse plus ids.
 *
 * <p>Run with {@code mvn -Pbench test-compile exec:exec} (see docs/p2p-extractor.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecodeBenchmark {
    byte[] inv;
    byte[] addrv2;
    byte[] tx;
    byte[] block;

    @Setup
    public void setUp() {
        List<InventoryItem> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            byte[] hash = Hashes.sha256d(new byte[] {(byte) i, (byte) (i >> 8)});
            items.add(InventoryItem.newBuilder().setTransaction(ByteString.copyFrom(hash)).build());
        }
        inv = PayloadEncoder.inventory(items);

        List<Address> addresses = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Address.Builder a = Address.newBuilder().setTimestamp(1_700_000_000 + i).setServices(1033).setPort(8333);
            switch (i % 4) {
                case 0: a.setIpv4("10." + (i & 0xff) + ".1." + (i >> 8)); break;
                case 1: a.setIpv6("2001:db8::" + Integer.toHexString(i)); break;
                case 2: a.setTorv3(AddressText.base32(Hashes.sha256d(new byte[] {(byte) i}), 0, 32) + ".onion"); break;
                default: a.setI2P(AddressText.base32(Hashes.sha256d(new byte[] {(byte) i, 1}), 0, 32) + ".b32.i2p");
            }
            addresses.add(a.build());
        }
        addrv2 = PayloadEncoder.addrV2(addresses);

        tx = Hashes.fromHex(Vectors.SEGWIT_TX);

        byte[] header = Hashes.fromHex(Vectors.GENESIS_BLOCK.substring(0, 160));
        byte[] coinbase = Hashes.fromHex(Vectors.GENESIS_COINBASE);
        ByteBuffer b = ByteBuffer.allocate(80 + 3 + coinbase.length + 1999 * tx.length);
        b.put(header).put((byte) 0xfd).put((byte) (2000 & 0xff)).put((byte) (2000 >> 8)).put(coinbase);
        for (int i = 0; i < 1999; i++) {
            b.put(tx);
        }
        block = b.array();
    }

    /** What the eBPF extractor would put around a decoded payload. */
    private static final Metadata META = Metadata.newBuilder().setPeerId(1).setAddr("127.0.0.1:8333")
            .setConnType(ConnType.OutboundFullRelay).setCommand("x").setInbound(true).setSize(0).build();

    private static MessageEvent.Builder ours(String command, byte[] payload) throws P2pCodecException {
        MessageEvent.Builder m = MessageEvent.newBuilder().setMeta(META);
        PayloadDecoder.decode(command, payload, m);
        return m;
    }

    @Benchmark
    public Object invOurs() throws Exception {
        return ours("inv", inv).build();
    }

    @Benchmark
    public Object invBitcoinj() {
        return InventoryMessage.read(ByteBuffer.wrap(inv)).getItems();
    }

    @Benchmark
    public Object addrv2Ours() throws Exception {
        return ours("addrv2", addrv2).build();
    }

    @Benchmark
    public Object addrv2Bitcoinj() {
        return AddressV2Message.read(ByteBuffer.wrap(addrv2)).getAddresses();
    }

    @Benchmark
    public Object txOurs() throws Exception {
        return ours("tx", tx).build();
    }

    @Benchmark
    public Object txBitcoinj() {
        return Transaction.read(ByteBuffer.wrap(tx));
    }

    @Benchmark
    public void txBitcoinjWithIds(Blackhole bh) {
        Transaction t = Transaction.read(ByteBuffer.wrap(tx));
        bh.consume(t.getTxId());
        bh.consume(t.getWTxId());
    }

    @Benchmark
    public Object blockOurs() throws Exception {
        return ours("block", block).build();
    }

    @Benchmark
    public Object blockBitcoinj() {
        return Block.read(ByteBuffer.wrap(block));
    }

    @Benchmark
    public void blockBitcoinjWithIds(Blackhole bh) {
        Block parsed = Block.read(ByteBuffer.wrap(block));
        bh.consume(parsed.getHash());
        for (Transaction t : parsed.getTransactions()) {
            bh.consume(t.getTxId());
            bh.consume(t.getWTxId());
        }
    }
}
