package org.peerobserver.bitcoin;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.google.protobuf.ByteString;
import org.peerobserver.proto.ebpf.message.Version;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.proto.primitives.InventoryItem;

/** Payloads of the messages we send (and, for tests and tools, a few we only receive). */
public final class PayloadEncoder {
    /** Bitcoin Core 30's protocol version, which we speak. */
    public static final int PROTOCOL_VERSION = 70016;
    public static final long NODE_NETWORK = 1;
    public static final long NODE_WITNESS = 1 << 3;
    private static final byte[] EMPTY = new byte[0];

    private PayloadEncoder() {
    }

    /** {@code verack}, {@code sendaddrv2}, {@code wtxidrelay}, {@code sendheaders}, {@code getaddr}: no payload. */
    public static byte[] empty() {
        return EMPTY;
    }

    public static byte[] version(Version v) {
        Writer w = new Writer(128);
        w.i32(v.getVersion()).i64(v.getServices()).i64(v.getTimestamp());
        v1Address(w, v.getReceiver());
        v1Address(w, v.getSender());
        w.i64(v.getNonce());
        byte[] ua = v.getUserAgent().getBytes(StandardCharsets.UTF_8);
        w.compactSize(ua.length).bytes(ua);
        w.i32(v.getStartHeight()).u8(v.getRelay() ? 1 : 0);
        return w.toByteArray();
    }

    /** {@code ping} and {@code pong}. */
    public static byte[] nonce(long nonce) {
        return new Writer(8).i64(nonce).toByteArray();
    }

    public static byte[] feeFilter(long satPerKvB) {
        return new Writer(8).i64(satPerKvB).toByteArray();
    }

    public static byte[] sendCompact(boolean highBandwidth, long version) {
        return new Writer(9).u8(highBandwidth ? 1 : 0).i64(version).toByteArray();
    }

    /** {@code inv}, {@code getdata}, {@code notfound}. */
    public static byte[] inventory(List<InventoryItem> items) {
        Writer w = new Writer(9 + 36 * items.size());
        w.compactSize(items.size());
        for (InventoryItem item : items) {
            int type;
            ByteString hash;
            switch (item.getItemCase()) {
                case TRANSACTION: type = 1; hash = item.getTransaction(); break;
                case BLOCK: type = 2; hash = item.getBlock(); break;
                case COMPACT_BLOCK: type = 4; hash = item.getCompactBlock(); break;
                case WTX: type = 5; hash = item.getWtx(); break;
                case WITNESS_TRANSACTION: type = 0x40000001; hash = item.getWitnessTransaction(); break;
                case WITNESS_BLOCK: type = 0x40000002; hash = item.getWitnessBlock(); break;
                case UNKNOWN: type = item.getUnknown().getInvType(); hash = item.getUnknown().getHash(); break;
                default: type = 0; hash = ByteString.copyFrom(new byte[32]);
            }
            if (hash.size() != 32) {
                throw new IllegalArgumentException("inventory hashes have 32 bytes, not " + hash.size());
            }
            w.i32(type).bytes(hash.toByteArray());
        }
        return w.toByteArray();
    }

    /** BIP155 {@code addrv2}. */
    public static byte[] addrV2(List<Address> addresses) {
        Writer w = new Writer(9 + 40 * addresses.size());
        w.compactSize(addresses.size());
        for (Address a : addresses) {
            w.i32(a.getTimestamp()).compactSize(a.getServices());
            byte[] raw;
            int network;
            switch (a.getAddressCase()) {
                case IPV4: network = 1; raw = ip(a.getIpv4(), 4); break;
                case IPV6: network = 2; raw = ip(a.getIpv6(), 16); break;
                case TORV2: network = 3; raw = AddressText.fromBase32(strip(a.getTorv2(), ".onion")); break;
                case TORV3: network = 4; raw = AddressText.fromBase32(strip(a.getTorv3(), ".onion")); break;
                case I2P: network = 5; raw = AddressText.fromBase32(strip(a.getI2P(), ".b32.i2p")); break;
                case CJDNS: network = 6; raw = ip(a.getCjdns(), 16); break;
                case UNKNOWN: network = a.getUnknown().getId(); raw = a.getUnknown().getAddress().toByteArray(); break;
                default: throw new IllegalArgumentException("an address without its address");
            }
            w.u8(network).compactSize(raw.length).bytes(raw).u16be(a.getPort());
        }
        return w.toByteArray();
    }

    /** v1 {@code addr} (with times). */
    public static byte[] addr(List<Address> addresses) {
        Writer w = new Writer(9 + 30 * addresses.size());
        w.compactSize(addresses.size());
        for (Address a : addresses) {
            w.i32(a.getTimestamp());
            v1Address(w, a);
        }
        return w.toByteArray();
    }

    private static void v1Address(Writer w, Address a) {
        byte[] ip16 = new byte[16];
        switch (a.getAddressCase()) {
            case IPV4: {
                ip16[10] = (byte) 0xff;
                ip16[11] = (byte) 0xff;
                System.arraycopy(ip(a.getIpv4(), 4), 0, ip16, 12, 4);
                break;
            }
            case IPV6: ip16 = ip(a.getIpv6(), 16); break;
            case TORV2: {
                byte[] onion = {(byte) 0xfd, (byte) 0x87, (byte) 0xd8, 0x7e, (byte) 0xeb, 0x43};
                System.arraycopy(onion, 0, ip16, 0, 6);
                System.arraycopy(AddressText.fromBase32(strip(a.getTorv2(), ".onion")), 0, ip16, 6, 10);
                break;
            }
            default: // no v1 form: all zeros, as Core writes an unset address
        }
        w.i64(a.getServices()).bytes(ip16).u16be(a.getPort());
    }

    private static String strip(String s, String suffix) {
        return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
    }

    /** The bytes of a numeric IP literal (never a name lookup). */
    private static byte[] ip(String literal, int size) {
        if (!literal.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IP literal: " + literal);
        }
        byte[] b;
        try {
            b = InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + literal, e);
        }
        if (b.length == size) {
            return b;
        }
        if (b.length == 4 && size == 16) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(b, 0, mapped, 12, 4);
            return mapped;
        }
        throw new IllegalArgumentException("not an IPv" + (size == 4 ? "4" : "6") + " literal: " + literal);
    }

    /** Little-endian consensus encoding into a growing buffer. */
    static final class Writer extends ByteArrayOutputStream {
        Writer(int size) {
            super(size);
        }

        Writer u8(int v) {
            write(v);
            return this;
        }

        Writer u16be(int v) {
            write(v >>> 8);
            write(v);
            return this;
        }

        Writer i32(int v) {
            write(v);
            write(v >>> 8);
            write(v >>> 16);
            write(v >>> 24);
            return this;
        }

        Writer i64(long v) {
            for (int i = 0; i < 8; i++) {
                write((int) (v >>> (8 * i)));
            }
            return this;
        }

        Writer compactSize(long n) {
            if (Long.compareUnsigned(n, 0xfd) < 0) {
                return u8((int) n);
            }
            if (Long.compareUnsigned(n, 0xffff) <= 0) {
                u8(0xfd);
                write((int) n);
                write((int) (n >>> 8));
                return this;
            }
            if (Long.compareUnsigned(n, 0xffffffffL) <= 0) {
                return u8(0xfe).i32((int) n);
            }
            return u8(0xff).i64(n);
        }

        Writer bytes(byte[] b) {
            write(b, 0, b.length);
            return this;
        }
    }
}
