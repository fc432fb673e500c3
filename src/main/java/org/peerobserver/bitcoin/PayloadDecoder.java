package org.peerobserver.bitcoin;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import org.peerobserver.proto.ebpf.message.Addr;
import org.peerobserver.proto.ebpf.message.AddrV2;
import org.peerobserver.proto.ebpf.message.Alert;
import org.peerobserver.proto.ebpf.message.Block;
import org.peerobserver.proto.ebpf.message.BlockTxn;
import org.peerobserver.proto.ebpf.message.CFCheckpt;
import org.peerobserver.proto.ebpf.message.CFHeaders;
import org.peerobserver.proto.ebpf.message.CFilter;
import org.peerobserver.proto.ebpf.message.CompactBlock;
import org.peerobserver.proto.ebpf.message.FeeFilter;
import org.peerobserver.proto.ebpf.message.FilterAdd;
import org.peerobserver.proto.ebpf.message.FilterLoad;
import org.peerobserver.proto.ebpf.message.GetBlockTxn;
import org.peerobserver.proto.ebpf.message.GetBlocks;
import org.peerobserver.proto.ebpf.message.GetCFCheckpt;
import org.peerobserver.proto.ebpf.message.GetCFHeaders;
import org.peerobserver.proto.ebpf.message.GetCFilter;
import org.peerobserver.proto.ebpf.message.GetData;
import org.peerobserver.proto.ebpf.message.GetHeaders;
import org.peerobserver.proto.ebpf.message.Headers;
import org.peerobserver.proto.ebpf.message.Inv;
import org.peerobserver.proto.ebpf.message.MerkleBlock;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.message.Metadata;
import org.peerobserver.proto.ebpf.message.NotFound;
import org.peerobserver.proto.ebpf.message.Ping;
import org.peerobserver.proto.ebpf.message.Pong;
import org.peerobserver.proto.ebpf.message.Reject;
import org.peerobserver.proto.ebpf.message.SendCompact;
import org.peerobserver.proto.ebpf.message.Tx;
import org.peerobserver.proto.ebpf.message.Unknown;
import org.peerobserver.proto.ebpf.message.Version;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.proto.primitives.BlockHeader;
import org.peerobserver.proto.primitives.InventoryItem;
import org.peerobserver.proto.primitives.PrefilledTransaction;
import org.peerobserver.proto.primitives.Transaction;
import org.peerobserver.proto.primitives.UnknownAddress;
import org.peerobserver.proto.primitives.UnknownItem;

import static org.peerobserver.bitcoin.P2pCodecException.Kind.MALFORMED;

/**
 * Decodes a P2P message payload (its command and bytes, without the 24-byte header) into the {@code msg}
 * oneof of upstream's {@code MessageEvent}, with the rules upstream's extractor gets from rust-bitcoin 0.32:
 * <ul>
 * <li>every field must be there (a {@code version} without {@code relay} does not decode); bytes after the
 *     last field are ignored; CompactSizes must be minimal; strings must be UTF-8;</li>
 * <li>an {@code addrv2} or {@code ping} with an empty payload, which would not decode, becomes
 *     {@code emptyaddrv2} / {@code oldping};</li>
 * <li>a command it does not model becomes {@code unknown{command, payload}};</li>
 * <li>addresses are rendered as in peer-observer-wire.md §4.3; {@code getblocktxn} indexes are absolute;
 *     reject codes are mapped onto 0..7; hashes stay in internal byte order.</li>
 * </ul>
 * Anything that does not decode is a {@link P2pCodecException} of kind {@code MALFORMED}; no other exception
 * leaves this class. The messages built may share the payload array (no copy): do not change it afterwards.
 */
public final class PayloadDecoder {
    /** Bitcoin Core's MAX_PROTOCOL_MESSAGE_LENGTH. */
    public static final int MAX_PAYLOAD = 4_000_000;
    /** rust-bitcoin's MAX_VEC_SIZE, which bounds some counts. */
    private static final int MAX_VEC_SIZE = 4_000_000;
    /** rust-bitcoin refuses getblocktxn index counts above MAX_VEC_SIZE / size_of::<Transaction>() (64). */
    private static final int MAX_GETBLOCKTXN_INDEXES = MAX_VEC_SIZE / 64;
    private static final int MAX_ADDRV2_ADDRESS = 512;

    private PayloadDecoder() {
    }

    /** The whole {@code MessageEvent}: {@code meta} as given, {@code msg} decoded from {@code command} and {@code payload}. */
    public static MessageEvent messageEvent(Metadata meta, String command, byte[] payload) throws P2pCodecException {
        MessageEvent.Builder b = MessageEvent.newBuilder().setMeta(meta);
        decode(command, payload, 0, payload.length, b);
        return b.build();
    }

    public static void decode(String command, byte[] payload, MessageEvent.Builder target) throws P2pCodecException {
        decode(command, payload, 0, payload.length, target);
    }

    /** Sets the {@code msg} oneof of {@code target} from the payload bytes {@code payload[offset..offset+length]}. */
    public static void decode(String command, byte[] payload, int offset, int length, MessageEvent.Builder target)
            throws P2pCodecException {
        try {
            decodeStrict(command, new ByteReader(payload, offset, length), target);
        } catch (P2pCodecException e) {
            if (length == 0 && "addrv2".equals(command)) {
                target.setEmptyaddrv2(true);
            } else if (length == 0 && "ping".equals(command)) {
                target.setOldping(true);
            } else {
                throw new P2pCodecException(MALFORMED, command + ": " + e.getMessage());
            }
        } catch (RuntimeException e) {
            // not expected; still, a stranger's bytes must never take the caller down with anything but our error
            throw new P2pCodecException(MALFORMED, command + ": decoder failure " + e, true);
        }
    }

    private static void decodeStrict(String command, ByteReader r, MessageEvent.Builder t) throws P2pCodecException {
        switch (command) {
            case "version": t.setVersion(version(r)); break;
            case "verack": t.setVerack(true); break;
            case "addr": t.setAddr(Addr.newBuilder().addAllAddresses(addr(r))); break;
            case "addrv2": t.setAddrv2(AddrV2.newBuilder().addAllAddresses(addrV2(r))); break;
            case "inv": {
                Inv.Builder b = Inv.newBuilder();
                for (int i = 0, n = r.count(36, "inventory"); i < n; i++) {
                    b.addItems(inventoryItem(r));
                }
                t.setInv(b);
                break;
            }
            case "getdata": {
                GetData.Builder b = GetData.newBuilder();
                for (int i = 0, n = r.count(36, "inventory"); i < n; i++) {
                    b.addItems(inventoryItem(r));
                }
                t.setGetdata(b);
                break;
            }
            case "notfound": {
                NotFound.Builder b = NotFound.newBuilder();
                for (int i = 0, n = r.count(36, "inventory"); i < n; i++) {
                    b.addItems(inventoryItem(r));
                }
                t.setNotfound(b);
                break;
            }
            case "getblocks": {
                GetBlocks.Builder g = GetBlocks.newBuilder().setVersion(r.i32le("version"));
                int n = r.count(32, "locator hashes");
                for (int i = 0; i < n; i++) {
                    g.addLocatorHashes(r.hash("locator hash"));
                }
                t.setGetblocks(g.setStopHash(r.hash("stop hash")));
                break;
            }
            case "getheaders": {
                GetHeaders.Builder g = GetHeaders.newBuilder().setVersion(r.i32le("version"));
                int n = r.count(32, "locator hashes");
                for (int i = 0; i < n; i++) {
                    g.addLocatorHashes(r.hash("locator hash"));
                }
                t.setGetheaders(g.setStopHash(r.hash("stop hash")));
                break;
            }
            case "mempool": t.setMempool(true); break;
            case "block": {
                Block.Builder b = Block.newBuilder().setHeader(header(r));
                int n = r.count(10, "transactions");
                for (int i = 0; i < n; i++) {
                    b.addTransactions(transaction(r));
                }
                t.setBlock(b);
                break;
            }
            case "headers": {
                Headers.Builder h = Headers.newBuilder();
                int n = r.count(81, "headers");
                for (int i = 0; i < n; i++) {
                    h.addHeaders(header(r));
                    if (r.u8("header's transaction count") != 0) {
                        throw new P2pCodecException(MALFORMED, "a header with transactions");
                    }
                }
                t.setHeaders(h);
                break;
            }
            case "sendheaders": t.setSendheaders(true); break;
            case "getaddr": t.setGetaddr(true); break;
            case "ping": t.setPing(Ping.newBuilder().setValue(r.i64le("nonce"))); break;
            case "pong": t.setPong(Pong.newBuilder().setValue(r.i64le("nonce"))); break;
            case "merkleblock": {
                MerkleBlock.Builder m = MerkleBlock.newBuilder().setHeader(header(r)).setNumTransactions(r.i32le("transaction count"));
                int n = r.count(32, "hashes");
                for (int i = 0; i < n; i++) {
                    m.addHashes(r.hash("hash"));
                }
                long flagBytes = r.compactSize("flag bits");
                if (Long.compareUnsigned(flagBytes, MAX_VEC_SIZE) > 0 || flagBytes > r.remaining()) {
                    throw new P2pCodecException(MALFORMED, "payload ends inside flag bits");
                }
                for (int i = 0; i < flagBytes; i++) {
                    int bits = r.u8("flag bits");
                    for (int bit = 0; bit < 8; bit++) {
                        m.addBits((bits & (1 << bit)) != 0);
                    }
                }
                t.setMerkleblock(m);
                break;
            }
            case "filterload": {
                FilterLoad.Builder f = FilterLoad.newBuilder().setFilter(r.varBytes("filter"))
                        .setHashFuncs(r.i32le("hash funcs")).setTweak(r.i32le("tweak"));
                int flags = r.u8("flags");
                FilterLoad.BloomFlags bloomFlags = FilterLoad.BloomFlags.forNumber(flags);
                if (bloomFlags == null) {
                    throw new P2pCodecException(MALFORMED, "unknown bloom flag " + flags);
                }
                t.setFilterload(f.setFlags(bloomFlags));
                break;
            }
            case "filteradd": t.setFilteradd(FilterAdd.newBuilder().setFilter(r.varBytes("data"))); break;
            case "filterclear": t.setFilterclear(true); break;
            case "tx": t.setTx(Tx.newBuilder().setTx(transaction(r))); break;
            case "getcfilters":
                t.setGetcfilter(GetCFilter.newBuilder().setFilterType(r.u8("filter type"))
                        .setStartHeight(r.i32le("start height")).setStopHash(r.hash("stop hash")));
                break;
            case "cfilter":
                t.setCfilter(CFilter.newBuilder().setFilterType(r.u8("filter type")).setBlockHash(r.hash("block hash"))
                        .setFilter(r.varBytes("filter")));
                break;
            case "getcfheaders":
                t.setGetcfheaders(GetCFHeaders.newBuilder().setFilterType(r.u8("filter type"))
                        .setStartHeight(r.i32le("start height")).setStopHash(r.hash("stop hash")));
                break;
            case "cfheaders": {
                CFHeaders.Builder c = CFHeaders.newBuilder().setFilterType(r.u8("filter type")).setStopHash(r.hash("stop hash"))
                        .setPreviousFilterHeader(r.hash("previous filter header"));
                int n = r.count(32, "filter hashes");
                for (int i = 0; i < n; i++) {
                    c.addFilterHashes(r.hash("filter hash"));
                }
                t.setCfheaders(c);
                break;
            }
            case "getcfcheckpt":
                t.setGetcfcheckpt(GetCFCheckpt.newBuilder().setFilterType(r.u8("filter type")).setStopHash(r.hash("stop hash")));
                break;
            case "cfcheckpt": {
                CFCheckpt.Builder c = CFCheckpt.newBuilder().setFilterType(r.u8("filter type")).setStopHash(r.hash("stop hash"));
                int n = r.count(32, "filter headers");
                for (int i = 0; i < n; i++) {
                    c.addFilterHeaders(r.hash("filter header"));
                }
                t.setCfcheckpt(c);
                break;
            }
            case "reject": t.setReject(reject(r)); break;
            case "alert": t.setAlert(Alert.newBuilder().setAlert(r.varBytes("alert"))); break;
            case "feefilter": t.setFeefilter(FeeFilter.newBuilder().setFee(r.i64le("fee rate"))); break;
            case "sendcmpct":
                t.setSendcompact(SendCompact.newBuilder().setSendCompact(r.bool("announce")).setVersion(r.i64le("version")));
                break;
            case "cmpctblock": t.setCompactblock(compactBlock(r)); break;
            case "getblocktxn": t.setGetblocktxn(getBlockTxn(r)); break;
            case "blocktxn": {
                BlockTxn.Builder b = BlockTxn.newBuilder().setBlockHash(r.hash("block hash"));
                int n = r.count(10, "transactions");
                for (int i = 0; i < n; i++) {
                    b.addTransactions(transaction(r));
                }
                t.setBlocktxn(b);
                break;
            }
            case "wtxidrelay": t.setWtxidrelay(true); break;
            case "sendaddrv2": t.setSendaddrv2(true); break;
            default:
                t.setUnknown(Unknown.newBuilder().setCommand(command)
                        .setPayload(r.bytes(r.remaining(), "payload")));
        }
    }

    // --- typed decoders, also used on their own by the P2P listener ------------------------------------

    public static Version version(byte[] payload) throws P2pCodecException {
        return version(new ByteReader(payload, 0, payload.length));
    }

    /** The nonce of a {@code ping} or {@code pong}. */
    public static long nonce(byte[] payload) throws P2pCodecException {
        return new ByteReader(payload, 0, payload.length).i64le("nonce");
    }

    public static long feeFilter(byte[] payload) throws P2pCodecException {
        return new ByteReader(payload, 0, payload.length).i64le("fee rate");
    }

    /** The count a list message (inv, getdata, addr, addrv2, headers) starts with, unsigned; 0 for an empty payload. */
    public static long itemCount(byte[] payload) throws P2pCodecException {
        return payload.length == 0 ? 0 : new ByteReader(payload, 0, payload.length).compactSize("count");
    }

    public static List<InventoryItem> inventory(byte[] payload) throws P2pCodecException {
        return inventory(new ByteReader(payload, 0, payload.length));
    }

    public static List<Address> addrV2(byte[] payload) throws P2pCodecException {
        return addrV2(new ByteReader(payload, 0, payload.length));
    }

    public static Transaction transaction(byte[] payload) throws P2pCodecException {
        return transaction(new ByteReader(payload, 0, payload.length));
    }

    // --- parts ----------------------------------------------------------------------------------------

    private static Version version(ByteReader r) throws P2pCodecException {
        Version.Builder v = Version.newBuilder()
                .setVersion(r.i32le("protocol version"))
                .setServices(r.i64le("services"))
                .setTimestamp(r.i64le("timestamp"));
        v.setReceiver(v1Address(r, 0, "receiver"));
        v.setSender(v1Address(r, 0, "sender"));
        v.setNonce(r.i64le("nonce"));
        v.setUserAgent(r.varString("user agent"));
        v.setStartHeight(r.i32le("start height"));
        v.setRelay(r.bool("relay"));
        return v.build();
    }

    private static List<Address> addr(ByteReader r) throws P2pCodecException {
        int n = r.count(30, "addresses");
        List<Address> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int time = r.i32le("address time");
            out.add(v1Address(r, time, "address"));
        }
        return out;
    }

    /** services, 16-byte IPv6 (or mapped IPv4, or OnionCat Tor v2), big-endian port. */
    private static Address v1Address(ByteReader r, int timestamp, String what) throws P2pCodecException {
        Address.Builder a = Address.newBuilder().setTimestamp(timestamp).setServices(r.i64le(what + " services"));
        int at = r.position();
        r.skip(16, what);
        byte[] b = r.array();
        if ((b[at] & 0xff) == 0xfd && (b[at + 1] & 0xff) == 0x87 && (b[at + 2] & 0xff) == 0xd8 && (b[at + 3] & 0xff) == 0x7e
                && (b[at + 4] & 0xff) == 0xeb && (b[at + 5] & 0xff) == 0x43) {
            a.setTorv2(AddressText.base32(b, at + 6, 10, ".onion"));
        } else if (zeros(b, at, 10) && ((b[at + 10] == 0 && b[at + 11] == 0)
                || ((b[at + 10] & 0xff) == 0xff && (b[at + 11] & 0xff) == 0xff))) {
            a.setIpv4(AddressText.ipv4(b, at + 12));
        } else {
            a.setIpv6(AddressText.ipv6(b, at));
        }
        return a.setPort(r.u16be(what + " port")).build();
    }

    private static boolean zeros(byte[] b, int from, int n) {
        for (int i = from; i < from + n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static List<Address> addrV2(ByteReader r) throws P2pCodecException {
        int n = r.count(9, "addresses");
        List<Address> out = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            Address.Builder a = Address.newBuilder().setTimestamp(r.i32le("address time"))
                    .setServices(r.compactSize("address services"));
            int network = r.u8("network id");
            long len = r.compactSize("address length");
            if (Long.compareUnsigned(len, MAX_ADDRV2_ADDRESS) > 0) {
                throw new P2pCodecException(MALFORMED, "addrv2 address longer than 512 bytes");
            }
            int length = (int) len;
            byte[] b = r.array();
            switch (network) {
                case 1: {
                    expectLength(length, 4, "IPv4");
                    int at = r.position();
                    r.skip(4, "IPv4 address");
                    a.setIpv4(AddressText.ipv4(b, at));
                    break;
                }
                case 2: {
                    expectLength(length, 16, "IPv6");
                    int at = r.position();
                    r.skip(16, "IPv6 address");
                    if ((b[at] & 0xff) == 0xfd && (b[at + 1] & 0xff) == 0x87 && (b[at + 2] & 0xff) == 0xd8
                            && (b[at + 3] & 0xff) == 0x7e && (b[at + 4] & 0xff) == 0xeb && (b[at + 5] & 0xff) == 0x43) {
                        throw new P2pCodecException(MALFORMED, "OnionCat address sent with the IPv6 network id");
                    }
                    if (zeros(b, at, 10) && (b[at + 10] & 0xff) == 0xff && (b[at + 11] & 0xff) == 0xff) {
                        throw new P2pCodecException(MALFORMED, "IPv4-mapped address sent with the IPv6 network id");
                    }
                    a.setIpv6(AddressText.ipv6(b, at));
                    break;
                }
                case 3: {
                    expectLength(length, 10, "TorV2");
                    int at = r.position();
                    r.skip(10, "TorV2 address");
                    a.setTorv2(AddressText.base32(b, at, 10, ".onion"));
                    break;
                }
                case 4: {
                    expectLength(length, 32, "TorV3");
                    int at = r.position();
                    r.skip(32, "TorV3 address");
                    a.setTorv3(AddressText.base32(b, at, 32, ".onion"));
                    break;
                }
                case 5: {
                    expectLength(length, 32, "I2P");
                    int at = r.position();
                    r.skip(32, "I2P address");
                    a.setI2P(AddressText.base32(b, at, 32, ".b32.i2p"));
                    break;
                }
                case 6: {
                    expectLength(length, 16, "CJDNS");
                    int at = r.position();
                    r.skip(16, "CJDNS address");
                    if ((b[at] & 0xff) != 0xfc) {
                        throw new P2pCodecException(MALFORMED, "CJDNS address outside fc00::/8");
                    }
                    a.setCjdns(AddressText.ipv6(b, at));
                    break;
                }
                default:
                    a.setUnknown(UnknownAddress.newBuilder().setId(network)
                            .setAddress(ByteString.copyFrom(r.copy(length, "address"))));
            }
            out.add(a.setPort(r.u16be("address port")).build());
        }
        return out;
    }

    private static void expectLength(int length, int expected, String network) throws P2pCodecException {
        if (length != expected) {
            throw new P2pCodecException(MALFORMED, "invalid " + network + " address: " + length + " bytes");
        }
    }

    private static List<InventoryItem> inventory(ByteReader r) throws P2pCodecException {
        int n = r.count(36, "inventory");
        List<InventoryItem> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(inventoryItem(r));
        }
        return out;
    }

    private static final InventoryItem ERROR_ITEM = InventoryItem.newBuilder().setError(true).build();

    private static InventoryItem inventoryItem(ByteReader r) throws P2pCodecException {
        int type = r.i32le("inventory type");
        if (type == 0) {
            r.skip(32, "inventory hash");
            return ERROR_ITEM;
        }
        ByteString hash = r.hash("inventory hash");
        InventoryItem.Builder item = InventoryItem.newBuilder();
        switch (type) {
            case 1: item.setTransaction(hash); break;
            case 2: item.setBlock(hash); break;
            case 4: item.setCompactBlock(hash); break;
            case 5: item.setWtx(hash); break;
            case 0x40000001: item.setWitnessTransaction(hash); break;
            case 0x40000002: item.setWitnessBlock(hash); break;
            default: item.setUnknown(UnknownItem.newBuilder().setInvType(type).setHash(hash));
        }
        return item.build();
    }

    private static BlockHeader header(ByteReader r) throws P2pCodecException {
        int at = r.position();
        r.skip(80, "block header");
        byte[] b = r.array();
        ByteReader h = new ByteReader(b, at, 80);
        return BlockHeader.newBuilder()
                .setVersion(h.i32le("version"))
                .setPrevBlockhash(h.hash("previous block hash"))
                .setMerkleRoot(h.hash("merkle root"))
                .setTime(h.i32le("time"))
                .setBits(h.i32le("bits"))
                .setNonce(h.i32le("nonce"))
                .setHash(UnsafeByteOperations.unsafeWrap(Hashes.sha256d(b, at, 80)))
                .build();
    }

    /**
     * A transaction in its network serialization (BIP144 when marker 0 and flag 1 follow the version), with
     * its txid (without witnesses), wtxid (with them) and the serialization itself.
     */
    private static Transaction transaction(ByteReader r) throws P2pCodecException {
        byte[] b = r.array();
        int start = r.position();
        r.skip(4, "transaction version");
        int inputsAt = r.position();
        int inputs = r.count(41, "transaction inputs");
        boolean segwit = false;
        if (inputs == 0) {
            int flag = r.u8("segwit flag");
            if (flag != 1) {
                throw new P2pCodecException(MALFORMED, "unsupported segwit flag " + flag);
            }
            segwit = true;
            inputsAt = r.position();
            inputs = r.count(41, "transaction inputs");
        }
        for (int i = 0; i < inputs; i++) {
            r.skip(36, "outpoint");
            r.varBytesLength("script sig");
            r.skip(4, "sequence");
        }
        int outputs = r.count(9, "transaction outputs");
        for (int i = 0; i < outputs; i++) {
            r.skip(8, "amount");
            r.varBytesLength("script pubkey");
        }
        int outputsEnd = r.position();
        if (segwit) {
            boolean anyWitness = false;
            for (int i = 0; i < inputs; i++) {
                long items = r.compactSize("witness items");
                if (Long.compareUnsigned(items, MAX_VEC_SIZE) > 0 || items > r.remaining()) {
                    throw new P2pCodecException(MALFORMED, "payload ends inside a witness");
                }
                anyWitness |= items != 0;
                for (long k = 0; k < items; k++) {
                    r.varBytesLength("witness item");
                }
            }
            if (inputs > 0 && !anyWitness) {
                throw new P2pCodecException(MALFORMED, "witness flag set but no witnesses present");
            }
        }
        int lockAt = r.position();
        r.skip(4, "lock time");
        int end = r.position();
        byte[] wtxid = Hashes.sha256d(b, start, end - start);
        byte[] txid;
        if (segwit) {
            MessageDigest md = Hashes.sha256();
            md.update(b, start, 4);
            md.update(b, inputsAt, outputsEnd - inputsAt);
            md.update(b, lockAt, 4);
            txid = md.digest(md.digest());
        } else {
            txid = wtxid;
        }
        ByteString w = UnsafeByteOperations.unsafeWrap(wtxid);
        return Transaction.newBuilder().setTxid(segwit ? UnsafeByteOperations.unsafeWrap(txid) : w).setWtxid(w)
                .setRaw(UnsafeByteOperations.unsafeWrap(b, start, end - start)).build();
    }

    private static CompactBlock compactBlock(ByteReader r) throws P2pCodecException {
        CompactBlock.Builder c = CompactBlock.newBuilder().setHeader(header(r)).setNonce(r.i64le("nonce"));
        int n = r.count(6, "short ids");
        for (int i = 0; i < n; i++) {
            c.addShortIds(r.bytes(6, "short id"));
        }
        int prefilled = r.count(11, "prefilled transactions");
        for (int i = 0; i < prefilled; i++) {
            long index = r.compactSize("prefilled index");
            if (Long.compareUnsigned(index, 0xffff) > 0) {
                throw new P2pCodecException(MALFORMED, "prefilled transaction index out of bounds");
            }
            c.addTransactions(PrefilledTransaction.newBuilder().setDiffIndex((int) index).setTx(transaction(r)));
        }
        return c.build();
    }

    private static GetBlockTxn getBlockTxn(ByteReader r) throws P2pCodecException {
        GetBlockTxn.Builder g = GetBlockTxn.newBuilder().setBlockHash(r.hash("block hash"));
        long n = r.compactSize("indexes");
        if (Long.compareUnsigned(n, MAX_GETBLOCKTXN_INDEXES) > 0) {
            throw new P2pCodecException(MALFORMED, "too many getblocktxn indexes: " + Long.toUnsignedString(n));
        }
        if (n > r.remaining()) {
            throw new P2pCodecException(MALFORMED, "payload ends inside the indexes");
        }
        long next = 0;
        for (long i = 0; i < n; i++) {
            long diff = r.compactSize("index");
            long index = next + diff;
            if (Long.compareUnsigned(index, next) < 0) {
                throw new P2pCodecException(MALFORMED, "block index overflow");
            }
            g.addTxIndexes(index);
            next = index + 1;
            if (next == 0) {
                throw new P2pCodecException(MALFORMED, "block index overflow");
            }
        }
        return g.build();
    }

    private static Reject reject(ByteReader r) throws P2pCodecException {
        String message = r.varString("rejected command");
        int code = r.u8("reject code");
        Reject.RejectReason reason;
        switch (code) {
            case 0x01: reason = Reject.RejectReason.MALFORMED; break;
            case 0x10: reason = Reject.RejectReason.INVALID; break;
            case 0x11: reason = Reject.RejectReason.OBSOLETE; break;
            case 0x12: reason = Reject.RejectReason.DUPLICATE; break;
            case 0x40: reason = Reject.RejectReason.NONSTANDARD; break;
            case 0x41: reason = Reject.RejectReason.DUST; break;
            case 0x42: reason = Reject.RejectReason.FEE; break;
            case 0x43: reason = Reject.RejectReason.CHECKPOINT; break;
            default: throw new P2pCodecException(MALFORMED, "unknown reject code 0x" + Integer.toHexString(code));
        }
        return Reject.newBuilder().setRejectedCommand(message).setReason(reason)
                .setReasonDetails(r.varString("reject reason")).setHash(r.hash("rejected hash")).build();
    }
}
