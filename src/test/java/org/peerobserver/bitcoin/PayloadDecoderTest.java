package org.peerobserver.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peerobserver.bitcoin.Vectors.bytes;

import java.nio.ByteBuffer;
import java.util.List;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.ebpf.message.Block;
import org.peerobserver.proto.ebpf.message.CompactBlock;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.message.Metadata;
import org.peerobserver.proto.ebpf.message.Reject;
import org.peerobserver.proto.ebpf.message.Version;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.proto.primitives.BlockHeader;
import org.peerobserver.proto.primitives.ConnType;
import org.peerobserver.proto.primitives.InventoryItem;
import org.peerobserver.proto.primitives.Transaction;

class PayloadDecoderTest {

    static MessageEvent.Builder decode(String command, String hex) throws P2pCodecException {
        MessageEvent.Builder b = MessageEvent.newBuilder();
        PayloadDecoder.decode(command, bytes(hex), b);
        return b;
    }

    static P2pCodecException malformed(String command, String hex) {
        P2pCodecException e = assertThrows(P2pCodecException.class, () -> decode(command, hex));
        assertEquals(P2pCodecException.Kind.MALFORMED, e.kind());
        return e;
    }

    static String display(ByteString internal) {
        return Hashes.displayHex(internal.toByteArray());
    }

    @Test
    void itemCountReadsTheLeadingCompactSizeUnsigned() throws Exception {
        assertEquals(0, PayloadDecoder.itemCount(new byte[0]));
        assertEquals(3, PayloadDecoder.itemCount(bytes("03")));
        assertEquals(50_001, PayloadDecoder.itemCount(bytes("fd51c3")));
        assertEquals(-1L, PayloadDecoder.itemCount(bytes("ffffffffffffffffff")), "2^64 - 1, read unsigned");
        assertThrows(P2pCodecException.class, () -> PayloadDecoder.itemCount(bytes("fd0100")), "non-minimal");
        assertThrows(P2pCodecException.class, () -> PayloadDecoder.itemCount(bytes("fe01")), "cut off");
    }

    @Test
    void genesisBlockWithItsHashAndCoinbase() throws Exception {
        Block block = decode("block", Vectors.GENESIS_BLOCK).getBlock();
        BlockHeader h = block.getHeader();
        assertEquals(Vectors.GENESIS_HASH, display(h.getHash()));
        assertEquals(1, h.getVersion());
        assertEquals("0000000000000000000000000000000000000000000000000000000000000000", display(h.getPrevBlockhash()));
        assertEquals(Vectors.GENESIS_COINBASE_TXID, display(h.getMerkleRoot()));
        assertEquals(1231006505, h.getTime());
        assertEquals(0x1d00ffff, h.getBits());
        assertEquals(2083236893, h.getNonce());
        assertEquals(1, block.getTransactionsCount());
        Transaction coinbase = block.getTransactions(0);
        assertEquals(Vectors.GENESIS_COINBASE_TXID, display(coinbase.getTxid()));
        assertEquals(coinbase.getTxid(), coinbase.getWtxid());
        assertEquals(Vectors.GENESIS_COINBASE, Hashes.hex(coinbase.getRaw().toByteArray()));
    }

    @Test
    void segwitTransactionWithTxidAndWtxid() throws Exception {
        Transaction tx = decode("tx", Vectors.SEGWIT_TX).getTx().getTx();
        assertEquals(Vectors.SEGWIT_TXID, display(tx.getTxid()));
        assertEquals(Vectors.SEGWIT_WTXID, display(tx.getWtxid()));
        assertEquals(Vectors.SEGWIT_TX, Hashes.hex(tx.getRaw().toByteArray()));
        // bitcoinj, an independent implementation, agrees
        org.bitcoinj.core.Transaction bj = org.bitcoinj.core.Transaction.read(ByteBuffer.wrap(bytes(Vectors.SEGWIT_TX)));
        assertEquals(bj.getTxId().toString(), display(tx.getTxid()));
        assertEquals(bj.getWTxId().toString(), display(tx.getWtxid()));
    }

    @Test
    void segwitFlagWithoutWitnessesOrOtherFlagsAreMalformed() {
        // one input, one output, flag set, empty witness
        String noWitness = "02000000000101" + "00".repeat(36) + "00" + "ffffffff" + "01" + "0000000000000000" + "00" + "00" + "00000000";
        assertTrue(malformed("tx", noWitness).getMessage().contains("no witnesses"));
        malformed("tx", "02000000" + "0002" + "00");
    }

    @Test
    void versionOfASatoshiNode() throws Exception {
        Version v = decode("version", Vectors.SATOSHI_VERSION).getVersion();
        assertEquals(70002, v.getVersion());
        assertEquals(1, v.getServices());
        assertEquals(1401217254, v.getTimestamp());
        assertEquals("16735069437859780935", Long.toUnsignedString(v.getNonce()));
        assertEquals("/Satoshi:0.9.99/", v.getUserAgent());
        assertEquals(302892, v.getStartHeight());
        assertTrue(v.getRelay());
        assertEquals(Address.newBuilder().setTimestamp(0).setServices(1).setIpv4("0.0.0.0").setPort(0).build(), v.getReceiver());
        // an OnionCat (fd87:d87e:eb43::/48) address is Tor v2: base32 of the last 10 bytes
        assertEquals(Address.newBuilder().setTimestamp(0).setServices(1).setTorv2("mtzcz5knzjmuclnx.onion").setPort(8333).build(),
                v.getSender());
    }

    @Test
    void versionNeedsEveryFieldButIgnoresTrailingBytes() throws Exception {
        String withoutRelay = Vectors.SATOSHI_VERSION.substring(0, Vectors.SATOSHI_VERSION.length() - 2);
        malformed("version", withoutRelay);
        assertEquals(302892, decode("version", Vectors.SATOSHI_VERSION + "ffee").getVersion().getStartHeight());
        // a user agent that is not UTF-8
        malformed("version", Vectors.SATOSHI_VERSION.replace("2f5361746f7368693a302e392e39392f", "ff5361746f7368693a302e392e39392f"));
    }

    @Test
    void rejectCodesAreMappedOntoTheEnum() throws Exception {
        Reject r = decode("reject", Vectors.REJECT_TX_CONFLICT).getReject();
        assertEquals("tx", r.getRejectedCommand());
        assertEquals(Reject.RejectReason.DUPLICATE, r.getReason());
        assertEquals(3, r.getReason().getNumber());
        assertEquals("txn-mempool-conflict", r.getReasonDetails());
        assertEquals("0470f4f2dc4191221b59884bcffaaf00932748ab46356a80413c0b86d354df05", display(r.getHash()));
        String[][] codes = {{"01", "MALFORMED"}, {"10", "INVALID"}, {"11", "OBSOLETE"}, {"12", "DUPLICATE"}, {"40", "NONSTANDARD"},
                {"41", "DUST"}, {"42", "FEE"}, {"43", "CHECKPOINT"}};
        for (String[] c : codes) {
            assertEquals(c[1], decode("reject", "027478" + c[0] + "00" + "11".repeat(32)).getReject().getReason().name());
        }
        malformed("reject", "027478" + "13" + "00" + "11".repeat(32));
        malformed("reject", "027478" + "10" + "00"); // no hash
    }

    @Test
    void addrV2EveryNetworkAndItsRendering() throws Exception {
        String hex = "07"
                // time, services (CompactSize), network, length, address, port (big-endian)
                + "01000000" + "09" + "01" + "04" + "01020304" + "208d"
                + "02000000" + "fd0904" + "02" + "10" + "20010db8000000000000000000000001" + "479d"
                + "03000000" + "00" + "03" + "0a" + "64f22cf54dca59412db7" + "208d"
                + "04000000" + "01" + "04" + "20" + hex(0, 32) + "208d"
                + "05000000" + "00" + "05" + "20" + hex(100, 32) + "0000"
                + "06000000" + "00" + "06" + "10" + "fc000000000000000000000000000001" + "208d"
                + "07000000" + "00" + "2a" + "03" + "aabbcc" + "0001";
        List<Address> a = decode("addrv2", hex).getAddrv2().getAddressesList();
        assertEquals(7, a.size());
        assertEquals(Address.newBuilder().setTimestamp(1).setServices(9).setIpv4("1.2.3.4").setPort(8333).build(), a.get(0));
        assertEquals(0x409, a.get(1).getServices());
        assertEquals("2001:db8::1", a.get(1).getIpv6());
        assertEquals(18333, a.get(1).getPort());
        assertEquals("mtzcz5knzjmuclnx.onion", a.get(2).getTorv2());
        // Tor v3: base32 of the 32-byte key only (52 characters), as upstream renders it
        assertEquals("aaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dypq.onion", a.get(3).getTorv3());
        assertEquals("mrswmz3infvgw3dnnzxxa4lson2hk5txpb4xu634pv7h7aebqkbq.b32.i2p", a.get(4).getI2P());
        assertEquals(0, a.get(4).getPort());
        assertEquals("fc00::1", a.get(5).getCjdns());
        assertEquals(42, a.get(6).getUnknown().getId());
        assertEquals("aabbcc", Hashes.hex(a.get(6).getUnknown().getAddress().toByteArray()));
        assertEquals(7, a.get(6).getTimestamp());
    }

    private static String hex(int from, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(String.format("%02x", (from + i) & 0xff));
        }
        return s.toString();
    }

    @Test
    void addrV2LimitsAndRejectedEntries() {
        String entry = "01000000" + "00";
        malformed("addrv2", "01" + entry + "01" + "05" + "0102030405" + "208d"); // IPv4 of 5 bytes
        malformed("addrv2", "01" + entry + "02" + "10" + "00000000000000000000ffff01020304" + "208d"); // IPv4-mapped as IPv6
        malformed("addrv2", "01" + entry + "02" + "10" + "fd87d87eeb43" + "00".repeat(10) + "208d"); // OnionCat as IPv6
        malformed("addrv2", "01" + entry + "06" + "10" + "fd000000000000000000000000000001" + "208d"); // CJDNS outside fc00::/8
        malformed("addrv2", "01" + entry + "04" + "1f" + "00".repeat(31) + "208d"); // Tor v3 key of 31 bytes
        malformed("addrv2", "01" + entry + "63" + "fd0102" + "00".repeat(0x201) + "208d"); // over 512 bytes
        malformed("addrv2", "02" + entry + "01" + "04" + "01020304" + "208d"); // one entry missing
    }

    @Test
    void emptyAddrV2AndOldPing() throws Exception {
        assertTrue(decode("addrv2", "").getEmptyaddrv2());
        assertTrue(decode("ping", "").getOldping());
        assertEquals(0, decode("addrv2", "00").getAddrv2().getAddressesCount());
        assertEquals(0x0807060504030201L, decode("ping", "0102030405060708").getPing().getValue());
        assertEquals(-1L, decode("pong", "ffffffffffffffff").getPong().getValue());
        malformed("pong", "");
        malformed("ping", "01");
    }

    @Test
    void v1AddrRenderings() throws Exception {
        String hex = "05"
                + "01000000" + "0100000000000000" + "00000000000000000000ffff7f000001" + "208d"
                + "02000000" + "0100000000000000" + "00000000000000000000000001020304" + "208d"
                + "03000000" + "0100000000000000" + "20010db8000000000001000000000001" + "208d"
                + "04000000" + "0100000000000000" + "20010db8000000010001000100010001" + "208d"
                + "05000000" + "0900000000000000" + "fd87d87eeb4364f22cf54dca59412db7" + "208d";
        List<Address> a = decode("addr", hex).getAddr().getAddressesList();
        assertEquals("127.0.0.1", a.get(0).getIpv4());
        assertEquals("1.2.3.4", a.get(1).getIpv4()); // IPv4-compatible ::/96 too
        assertEquals("2001:db8::1:0:0:1", a.get(2).getIpv6()); // the first of two equal zero runs
        assertEquals("2001:db8:0:1:1:1:1:1", a.get(3).getIpv6()); // a single zero group stays
        assertEquals("mtzcz5knzjmuclnx.onion", a.get(4).getTorv2());
        assertEquals(5, a.get(4).getTimestamp());
        assertEquals(9, a.get(4).getServices());
    }

    @Test
    void inventoryTypes() throws Exception {
        String h = "11".repeat(32);
        String hex = "08" + "00000000" + h + "01000000" + h + "02000000" + h + "04000000" + h + "05000000" + h
                + "01000040" + h + "02000040" + h + "07000000" + h;
        List<InventoryItem> items = decode("inv", hex).getInv().getItemsList();
        assertTrue(items.get(0).getError());
        assertEquals(InventoryItem.ItemCase.TRANSACTION, items.get(1).getItemCase());
        assertEquals(InventoryItem.ItemCase.BLOCK, items.get(2).getItemCase());
        assertEquals(InventoryItem.ItemCase.COMPACT_BLOCK, items.get(3).getItemCase());
        assertEquals(InventoryItem.ItemCase.WTX, items.get(4).getItemCase());
        assertEquals(InventoryItem.ItemCase.WITNESS_TRANSACTION, items.get(5).getItemCase());
        assertEquals(InventoryItem.ItemCase.WITNESS_BLOCK, items.get(6).getItemCase());
        assertEquals(7, items.get(7).getUnknown().getInvType());
        assertEquals(h, Hashes.hex(items.get(7).getUnknown().getHash().toByteArray()));
        assertEquals(1, decode("getdata", "01" + "05000000" + h).getGetdata().getItemsCount());
        assertEquals(1, decode("notfound", "01" + "05000000" + h).getNotfound().getItemsCount());
        // a count the payload cannot hold fails before anything is allocated for it
        malformed("inv", "ffffffffffffffffff" + "05000000" + h);
        malformed("inv", "fe00000100");
    }

    @Test
    void compactSizesMustBeMinimal() throws Exception {
        malformed("inv", "fd0100" + "05000000" + "11".repeat(32));
        malformed("getblocktxn", "22".repeat(32) + "fe01000000" + "00");
        assertEquals(1, decode("inv", "01" + "05000000" + "11".repeat(32)).getInv().getItemsCount());
    }

    @Test
    void getBlockTxnIndexesAreAbsolute() throws Exception {
        // BIP152: differentially encoded, each index minus the previous one minus one
        var g = decode("getblocktxn", "22".repeat(32) + "04" + "00" + "00" + "03" + "fd2c01").getGetblocktxn();
        assertEquals(List.of(0L, 1L, 5L, 306L), g.getTxIndexesList());
        assertEquals("22".repeat(32), Hashes.hex(g.getBlockHash().toByteArray()));
        malformed("getblocktxn", "22".repeat(32) + "02" + "ffffffffffffffffff" + "00"); // overflow
        // 62,544 indexes: bytes enough, but more than rust-bitcoin takes
        malformed("getblocktxn", "22".repeat(32) + "fd50f4" + "00".repeat(62_544));
        assertEquals(62_500, decode("getblocktxn", "22".repeat(32) + "fd24f4" + "00".repeat(62_500)).getGetblocktxn().getTxIndexesCount());
    }

    @Test
    void compactBlockKeepsDifferentialPrefilledIndexes() throws Exception {
        String header = Vectors.GENESIS_BLOCK.substring(0, 160);
        String hex = header + "0102030405060708" + "02" + "aabbccddeeff" + "112233445566" + "01" + "00" + Vectors.GENESIS_COINBASE;
        CompactBlock c = decode("cmpctblock", hex).getCompactblock();
        assertEquals(Vectors.GENESIS_HASH, display(c.getHeader().getHash()));
        assertEquals(0x0807060504030201L, c.getNonce());
        assertEquals("aabbccddeeff", Hashes.hex(c.getShortIds(0).toByteArray()));
        assertEquals("112233445566", Hashes.hex(c.getShortIds(1).toByteArray()));
        assertEquals(0, c.getTransactions(0).getDiffIndex());
        assertEquals(Vectors.GENESIS_COINBASE_TXID, display(c.getTransactions(0).getTx().getTxid()));
        malformed("cmpctblock", header + "0102030405060708" + "00" + "01" + "fe00000100" + Vectors.GENESIS_COINBASE);
    }

    @Test
    void headersAndTheirZeroTransactionCount() throws Exception {
        String header = Vectors.GENESIS_BLOCK.substring(0, 160);
        var headers = decode("headers", "01" + header + "00").getHeaders();
        assertEquals(Vectors.GENESIS_HASH, display(headers.getHeaders(0).getHash()));
        malformed("headers", "01" + header + "01");
    }

    @Test
    void smallMessages() throws Exception {
        assertEquals(1000, decode("feefilter", "e803000000000000").getFeefilter().getFee());
        var sc = decode("sendcmpct", "000200000000000000").getSendcompact();
        assertEquals(false, sc.getSendCompact());
        assertEquals(2, sc.getVersion());
        for (String c : List.of("verack", "sendheaders", "getaddr", "mempool", "wtxidrelay", "sendaddrv2", "filterclear")) {
            assertEquals(c, decode(c, "").getMsgCase().name().toLowerCase(java.util.Locale.ROOT));
        }
        var gh = decode("getheaders", "80110100" + "01" + "33".repeat(32) + "00".repeat(32)).getGetheaders();
        assertEquals(70016, gh.getVersion());
        assertEquals(1, gh.getLocatorHashesCount());
        var gb = decode("getblocks", "80110100" + "00" + "44".repeat(32)).getGetblocks();
        assertEquals("44".repeat(32), Hashes.hex(gb.getStopHash().toByteArray()));
        assertEquals(List.of(true, false, true, false, false, false, false, false, true, true, true, true, true, true, true, true),
                decode("merkleblock", Vectors.GENESIS_BLOCK.substring(0, 160) + "01000000" + "01" + "55".repeat(32) + "02" + "05" + "ff")
                        .getMerkleblock().getBitsList());
        var fl = decode("filterload", "02abcd" + "05000000" + "07000000" + "02").getFilterload();
        assertEquals(5, fl.getHashFuncs());
        assertEquals("PubkeyOnly", fl.getFlags().name());
        malformed("filterload", "02abcd" + "05000000" + "07000000" + "03");
        assertEquals("abcd", Hashes.hex(decode("filteradd", "02abcd").getFilteradd().getFilter().toByteArray()));
        assertEquals("abcd", Hashes.hex(decode("alert", "02abcd").getAlert().getAlert().toByteArray()));
        assertEquals(7, decode("getcfilters", "00" + "07000000" + "66".repeat(32)).getGetcfilter().getStartHeight());
        assertEquals(2, decode("cfilter", "00" + "66".repeat(32) + "02abcd").getCfilter().getFilter().size());
        assertEquals(9, decode("getcfheaders", "00" + "09000000" + "66".repeat(32)).getGetcfheaders().getStartHeight());
        assertEquals(1, decode("cfheaders", "00" + "66".repeat(64) + "01" + "77".repeat(32)).getCfheaders().getFilterHashesCount());
        assertEquals(0, decode("getcfcheckpt", "00" + "66".repeat(32)).getGetcfcheckpt().getFilterType());
        assertEquals(2, decode("cfcheckpt", "00" + "66".repeat(32) + "02" + "77".repeat(64)).getCfcheckpt().getFilterHeadersCount());
        assertEquals(1, decode("blocktxn", "66".repeat(32) + "01" + Vectors.SEGWIT_TX).getBlocktxn().getTransactionsCount());
    }

    @Test
    void unknownCommandsKeepTheirPayload() throws Exception {
        var u = decode("sendtxrcncl", "0100000002000000000000ab").getUnknown();
        assertEquals("sendtxrcncl", u.getCommand());
        assertEquals("0100000002000000000000ab", Hashes.hex(u.getPayload().toByteArray()));
        // the eBPF extractor hands over at most 11 characters: getcfcheckpt arrives truncated, as unknown
        assertEquals("getcfcheckp", decode("getcfcheckp", "00").getUnknown().getCommand());
    }

    @Test
    void aWholeMessageEvent() throws Exception {
        Metadata meta = Metadata.newBuilder().setPeerId(7).setAddr("127.0.0.1:18444").setConnType(ConnType.Inbound)
                .setCommand("feefilter").setInbound(true).setSize(8).build();
        MessageEvent e = PayloadDecoder.messageEvent(meta, "feefilter", bytes("e803000000000000"));
        assertEquals(meta, e.getMeta());
        assertEquals(1000, e.getFeefilter().getFee());
        // and it serializes (every required field set)
        assertEquals(e, MessageEvent.parseFrom(e.toByteArray()));
    }

    @Test
    void payloadSliceOfALargerArray() throws Exception {
        byte[] framed = FrameHeader.frame(BitcoinNetwork.MAINNET, "tx", bytes(Vectors.SEGWIT_TX));
        MessageEvent.Builder b = MessageEvent.newBuilder();
        PayloadDecoder.decode("tx", framed, FrameHeader.SIZE, framed.length - FrameHeader.SIZE, b);
        assertEquals(Vectors.SEGWIT_TXID, display(b.getTx().getTx().getTxid()));
        assertArrayEquals(bytes(Vectors.SEGWIT_TX), b.getTx().getTx().getRaw().toByteArray());
    }

    @Test
    void base32OfRfc4648() {
        String[][] vectors = {{"", ""}, {"f", "my"}, {"fo", "mzxq"}, {"foo", "mzxw6"}, {"foob", "mzxw6yq"}, {"fooba", "mzxw6ytb"},
                {"foobar", "mzxw6ytboi"}, {"foobarbazqux", "mzxw6ytbojrgc6trov4a"}};
        for (String[] v : vectors) {
            byte[] b = v[0].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            assertEquals(v[1], AddressText.base32(b, 0, b.length));
            assertEquals(v[1] + ".onion", AddressText.base32(b, 0, b.length, ".onion"));
            assertArrayEquals(b, AddressText.fromBase32(v[1]));
        }
    }
}
