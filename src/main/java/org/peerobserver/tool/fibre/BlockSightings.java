package org.peerobserver.tool.fibre;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.google.protobuf.ByteString;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.primitives.BlockHeader;
import org.peerobserver.proto.primitives.InventoryItem;

/**
 * The block hashes a received P2P message tells of, whether the extractor decoded the payload or
 * passed it as {@code unknown} bytes (then the header is hashed here: double SHA-256 of its 80 bytes).
 */
final class BlockSightings {
    /** Core announces at most this many blocks in one headers or inv message (MAX_BLOCKS_TO_ANNOUNCE). */
    static final int MAX_ANNOUNCED = 8;
    private static final int HEADER_SIZE = 80;
    private static final int MSG_BLOCK = 2;
    private static final int MSG_WITNESS_BLOCK = 0x40000002;

    private BlockSightings() {
    }

    /** The mechanism a command stands for, or null for commands that do not deliver blocks. */
    static Mechanism mechanism(String command) {
        return switch (command) {
            case "cmpctblock" -> Mechanism.CMPCTBLOCK;
            case "headers" -> Mechanism.HEADERS;
            case "inv" -> Mechanism.INV;
            case "block" -> Mechanism.BLOCK;
            default -> null;
        };
    }

    /**
     * Hashes (hex, display order) of the blocks {@code m} carries or announces. A longer headers
     * message is a chain download, not an announcement, and gives none.
     *
     * @throws IllegalArgumentException when an undecoded payload is too short for what it claims
     */
    static List<String> hashes(MessageEvent m, Mechanism mechanism) {
        List<String> out = new ArrayList<>();
        switch (m.getMsgCase()) {
            case COMPACTBLOCK -> out.add(display(m.getCompactblock().getHeader().getHash()));
            case BLOCK -> out.add(display(m.getBlock().getHeader().getHash()));
            case HEADERS -> {
                if (m.getHeaders().getHeadersCount() <= MAX_ANNOUNCED) {
                    for (BlockHeader h : m.getHeaders().getHeadersList()) {
                        out.add(display(h.getHash()));
                    }
                }
            }
            case INV -> {
                for (InventoryItem item : m.getInv().getItemsList()) {
                    if (out.size() < MAX_ANNOUNCED && item.hasBlock()) {
                        out.add(display(item.getBlock()));
                    } else if (out.size() < MAX_ANNOUNCED && item.hasWitnessBlock()) {
                        out.add(display(item.getWitnessBlock()));
                    }
                }
            }
            case UNKNOWN -> raw(m.getUnknown().getPayload().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN),
                    mechanism, out);
            default -> { }
        }
        return out;
    }

    private static void raw(ByteBuffer p, Mechanism mechanism, List<String> out) {
        try {
            switch (mechanism) {
                case CMPCTBLOCK, BLOCK -> out.add(headerHash(p));
                case HEADERS -> {
                    long n = compactSize(p);
                    for (long i = 0; i < n && n <= MAX_ANNOUNCED; i++) {
                        out.add(headerHash(p));
                        compactSize(p);   // the transaction count, always 0 in headers
                    }
                }
                case INV -> {
                    long n = compactSize(p);
                    for (long i = 0; i < n && out.size() < MAX_ANNOUNCED; i++) {
                        int type = p.getInt();
                        byte[] hash = new byte[32];
                        p.get(hash);
                        if (type == MSG_BLOCK || type == MSG_WITNESS_BLOCK) {
                            out.add(display(hash));
                        }
                    }
                }
                default -> { }
            }
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException(mechanism.label + " payload ends early");
        }
    }

    private static String headerHash(ByteBuffer p) {
        byte[] header = new byte[HEADER_SIZE];
        p.get(header);
        return display(doubleSha256(header));
    }

    private static long compactSize(ByteBuffer p) {
        int first = p.get() & 0xff;
        return switch (first) {
            case 0xfd -> p.getShort() & 0xffff;
            case 0xfe -> p.getInt() & 0xffffffffL;
            case 0xff -> p.getLong();
            default -> first;
        };
    }

    static byte[] doubleSha256(byte[] data) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return sha.digest(sha.digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hex in display order from a hash in internal (wire) order. */
    static String display(ByteString internal) {
        return display(internal.toByteArray());
    }

    static String display(byte[] internal) {
        byte[] reversed = new byte[internal.length];
        for (int i = 0; i < internal.length; i++) {
            reversed[i] = internal[internal.length - 1 - i];
        }
        return HexFormat.of().formatHex(reversed);
    }
}
