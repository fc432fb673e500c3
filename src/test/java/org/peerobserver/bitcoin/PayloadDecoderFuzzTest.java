package org.peerobserver.bitcoin;

import static org.peerobserver.bitcoin.Vectors.bytes;

import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.message.Metadata;
import org.peerobserver.proto.primitives.ConnType;

/**
 * Strangers' bytes into the decoder: random payloads for every command, and valid messages with bytes
 * flipped, cut off or inserted. Nothing may escape but {@link P2pCodecException}, and whatever decodes must
 * make a complete {@code MessageEvent} (every required field set). The whole class stops generating new
 * cases after its time budget, so it stays a bounded part of the normal test run.
 */
class PayloadDecoderFuzzTest {
    private static final long BUDGET_NANOS = 25_000_000_000L;
    private static final long START = System.nanoTime();
    private static final Metadata META = Metadata.newBuilder().setPeerId(1).setAddr("127.0.0.1:1").setConnType(ConnType.Inbound)
            .setCommand("x").setInbound(true).setSize(0).build();

    static final List<String> COMMANDS = List.of("version", "verack", "addr", "addrv2", "inv", "getdata", "notfound", "getblocks",
            "getheaders", "mempool", "block", "headers", "sendheaders", "getaddr", "ping", "pong", "merkleblock", "filterload",
            "filteradd", "filterclear", "tx", "getcfilters", "cfilter", "getcfheaders", "cfheaders", "getcfcheckpt", "cfcheckpt",
            "reject", "alert", "feefilter", "sendcmpct", "cmpctblock", "getblocktxn", "blocktxn", "wtxidrelay", "sendaddrv2",
            "sendtxrcncl", "");

    /** command, valid payload */
    static final String[][] SEEDS = {
            {"block", Vectors.GENESIS_BLOCK},
            {"tx", Vectors.SEGWIT_TX},
            {"tx", Vectors.GENESIS_COINBASE},
            {"version", Vectors.SATOSHI_VERSION},
            {"reject", Vectors.REJECT_TX_CONFLICT},
            {"addrv2", "03" + "01000000" + "09" + "01" + "04" + "01020304" + "208d" + "04000000" + "01" + "04" + "20" + "ab".repeat(32)
                    + "208d" + "07000000" + "00" + "2a" + "03" + "aabbcc" + "0001"},
            {"addr", "01" + "01000000" + "0100000000000000" + "00000000000000000000ffff7f000001" + "208d"},
            {"inv", "02" + "05000000" + "11".repeat(32) + "02000000" + "22".repeat(32)},
            {"getblocktxn", "22".repeat(32) + "04" + "00" + "00" + "03" + "fd2c01"},
            {"cmpctblock", Vectors.GENESIS_BLOCK.substring(0, 160) + "0102030405060708" + "01" + "aabbccddeeff" + "01" + "00"
                    + Vectors.GENESIS_COINBASE},
            {"headers", "01" + Vectors.GENESIS_BLOCK.substring(0, 160) + "00"},
            {"merkleblock", Vectors.GENESIS_BLOCK.substring(0, 160) + "01000000" + "01" + "55".repeat(32) + "01" + "05"},
            {"blocktxn", "66".repeat(32) + "01" + Vectors.SEGWIT_TX},
            {"cfheaders", "00" + "66".repeat(64) + "01" + "77".repeat(32)},
            {"filterload", "02abcd" + "05000000" + "07000000" + "02"},
            {"sendcmpct", "000200000000000000"},
            {"getheaders", "80110100" + "01" + "33".repeat(32) + "00".repeat(32)},
    };

    private static boolean overBudget() {
        return System.nanoTime() - START > BUDGET_NANOS;
    }

    /** The property itself: our error or a complete event, nothing else. */
    static void decodeOrOwnError(String command, byte[] payload) {
        MessageEvent.Builder b = MessageEvent.newBuilder().setMeta(META);
        try {
            PayloadDecoder.decode(command, payload, b);
        } catch (P2pCodecException expected) {
            if (expected.isInternal()) {
                throw new AssertionError(expected.getMessage());
            }
            return;
        }
        if (b.getMsgCase() == MessageEvent.MsgCase.MSG_NOT_SET) {
            throw new AssertionError(command + " decoded to nothing");
        }
        b.build().toByteArray();
    }

    @Property(tries = 4000)
    void randomPayloads(@ForAll("commands") String command, @ForAll @Size(max = 400) byte[] payload) {
        if (!overBudget()) {
            decodeOrOwnError(command, payload);
        }
    }

    @Property(tries = 20000)
    void mutatedRealMessages(@ForAll("mutants") Mutant m) {
        if (!overBudget()) {
            decodeOrOwnError(m.command, m.payload);
        }
    }

    @Property(tries = 3000)
    void headers(@ForAll @Size(value = 24) byte[] header) {
        if (overBudget()) {
            return;
        }
        try {
            FrameHeader h = FrameHeader.parse(header, 0, PayloadDecoder.MAX_PAYLOAD);
            h.verify(new byte[0], 0, 0);
        } catch (P2pCodecException expected) {
            // fine
        }
    }

    @Provide
    Arbitrary<String> commands() {
        return Arbitraries.of(COMMANDS);
    }

    record Mutant(String command, byte[] payload) {
        @Override
        public String toString() {
            return command + " " + Hashes.hex(payload);
        }
    }

    @Provide
    Arbitrary<Mutant> mutants() {
        Arbitrary<String[]> seed = Arbitraries.of(SEEDS);
        Arbitrary<Integer> where = Arbitraries.integers().between(0, 1 << 20);
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 5);
        Arbitrary<Byte> value = Arbitraries.oneOf(Arbitraries.bytes(), Arbitraries.of((byte) 0xfd, (byte) 0xfe, (byte) 0xff, (byte) 0));
        Arbitrary<Integer> count = Arbitraries.integers().between(1, 4);
        return Combinators.combine(seed, where, kind, value, count).as((s, at, k, v, n) -> {
            byte[] p = bytes(s[1]);
            for (int i = 0; i < n; i++) {
                p = mutate(p, (at * (i + 7)) & Integer.MAX_VALUE, k, v);
            }
            return new Mutant(s[0], p);
        });
    }

    private static byte[] mutate(byte[] p, int at, int kind, byte value) {
        if (p.length == 0) {
            return new byte[] {value};
        }
        int i = at % p.length;
        switch (kind) {
            case 0: { // set a byte
                byte[] q = p.clone();
                q[i] = value;
                return q;
            }
            case 1: // cut off
                return Arrays.copyOf(p, i);
            case 2: { // insert a byte
                byte[] q = new byte[p.length + 1];
                System.arraycopy(p, 0, q, 0, i);
                q[i] = value;
                System.arraycopy(p, i, q, i + 1, p.length - i);
                return q;
            }
            case 3: { // drop a byte
                byte[] q = new byte[p.length - 1];
                System.arraycopy(p, 0, q, 0, i);
                System.arraycopy(p, i + 1, q, i, p.length - i - 1);
                return q;
            }
            case 4: { // flip a bit
                byte[] q = p.clone();
                q[i] ^= (byte) (1 << (value & 7));
                return q;
            }
            default: // append garbage
                byte[] q = Arrays.copyOf(p, p.length + 3);
                q[p.length] = value;
                return q;
        }
    }
}
