package org.peerobserver.bitcoin;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import static org.peerobserver.bitcoin.P2pCodecException.Kind.OVERSIZE;
import static org.peerobserver.bitcoin.P2pCodecException.Kind.V2_HANDSHAKE;

/**
 * One BIP324 v2 connection, either side, independent of how bytes travel: the key exchange, garbage and
 * garbage terminator, the version packet, decoys (skipped when received) and messages with their short ids.
 * {@link #receive} takes what has arrived and returns one message at a time; what must go out (our key, the
 * terminator, packets) goes to the {@code send} consumer. Messages sent before the keys are agreed wait.
 * A packet's length is judged before its bytes are waited for, so nobody makes us buffer more than the limit.
 */
public final class V2Transport {
    /** A received message. */
    public record Message(String command, byte[] payload) {
    }

    /** Bytes of an ElligatorSwift public key. */
    public static final int KEY_SIZE = 64;
    /** The most garbage either side may send before its terminator. */
    public static final int MAX_GARBAGE = 4095;
    /** The BIP's 1-byte message ids, 1 to 28. */
    static final String[] SHORT_IDS = {null, "addr", "block", "blocktxn", "cmpctblock", "feefilter", "filteradd", "filterclear",
        "filterload", "getblocks", "getblocktxn", "getdata", "getheaders", "headers", "inv", "mempool", "merkleblock", "notfound",
        "ping", "pong", "sendcmpct", "tx", "getcfilters", "cfilter", "getcfheaders", "cfheaders", "getcfcheckpt", "cfcheckpt",
        "addrv2"};
    private static final Map<String, Integer> SHORT_ID_OF = new HashMap<>();
    private static final byte[] VERSION_COMMAND = "version\0\0\0\0\0".getBytes(StandardCharsets.US_ASCII);

    static {
        for (int i = 1; i < SHORT_IDS.length; i++) {
            SHORT_ID_OF.put(SHORT_IDS[i], i);
        }
    }

    private enum State { KEY, GARBAGE, LENGTH, PACKET }

    private final BitcoinNetwork network;
    private final boolean initiator;
    private final ElligatorSwift.KeyPair keys;
    private final byte[] ourGarbage;
    private final Deque<byte[]> waiting = new ArrayDeque<>();
    private State state = State.KEY;
    private Bip324Cipher cipher;
    private byte[] receivedGarbage;
    private boolean versionReceived;
    private int contentLength;
    private int maxPayload;
    private long ignored;

    /**
     * A transport for the side that dialled ({@code initiator}) or was dialled; {@code maxPayload} bounds a
     * message's payload (raise it with {@link #maxPayload(int)} once the version handshake is done).
     */
    public V2Transport(BitcoinNetwork network, boolean initiator, SecureRandom random, int maxPayload) {
        this.network = network;
        this.initiator = initiator;
        this.maxPayload = maxPayload;
        ElligatorSwift.KeyPair k;
        do {
            k = ElligatorSwift.generate(random);
            // an initiator's key must not look like a v1 version message, or the responder would take it for one
        } while (initiator && startsLikeV1(k.encoded(), network));
        keys = k;
        ourGarbage = new byte[random.nextInt(MAX_GARBAGE + 1)];
        random.nextBytes(ourGarbage);
    }

    private static boolean startsLikeV1(byte[] b, BitcoinNetwork network) {
        return FrameHeader.magic(b, 0) == network.magic() && Arrays.equals(b, 4, 16, VERSION_COMMAND, 0, 12);
    }

    public void maxPayload(int limit) {
        maxPayload = limit;
    }

    /** The initiator's first bytes: its key and garbage. */
    public byte[] greeting() {
        byte[] out = Arrays.copyOf(keys.encoded(), KEY_SIZE + ourGarbage.length);
        System.arraycopy(ourGarbage, 0, out, KEY_SIZE, ourGarbage.length);
        return out;
    }

    /** True once the peer's key arrived (a v1-only peer never sends one). */
    public boolean keyReceived() {
        return cipher != null;
    }

    /** True once the peer's version packet arrived: from here on it is a v2 session. */
    public boolean versionReceived() {
        return versionReceived;
    }

    /** The session id both sides derive (hex), or null before the keys are agreed. */
    public String sessionId() {
        return cipher == null ? null : Hashes.hex(cipher.sessionId());
    }

    /** Packets skipped: decoys, and messages with a short id this version does not know (as Bitcoin Core does). */
    public long ignoredPackets() {
        return ignored;
    }

    /**
     * Consumes from {@code in} what it can and returns the next message, or null when more bytes are needed
     * (what is left in {@code in} is then to be handed in again with more). Bytes that are not a valid v2
     * session are refused with an exception; the connection is then to be closed.
     */
    public Message receive(ByteBuffer in, Consumer<byte[]> send) throws P2pCodecException {
        while (true) {
            switch (state) {
                case KEY:
                    if (in.remaining() < KEY_SIZE) {
                        return null;
                    }
                    byte[] theirs = new byte[KEY_SIZE];
                    in.get(theirs);
                    keyExchange(theirs, send);
                    break;
                case GARBAGE:
                    if (!garbage(in)) {
                        return null;
                    }
                    break;
                case LENGTH:
                    if (in.remaining() < Bip324Cipher.LENGTH_SIZE) {
                        return null;
                    }
                    contentLength = cipher.decryptLength(in);
                    // a message type takes at most 13 bytes
                    long limit = 1L + FrameHeader.COMMAND_SIZE + maxPayload;
                    if (contentLength > limit) {
                        throw new P2pCodecException(OVERSIZE, "a v2 packet announces " + contentLength + " bytes (at most " + limit + ")");
                    }
                    state = State.PACKET;
                    break;
                case PACKET:
                    int size = Bip324Cipher.HEADER_SIZE + contentLength + Bip324Cipher.TAG_SIZE;
                    if (in.remaining() < size) {
                        return null;
                    }
                    Message m = packet(in, size);
                    state = State.LENGTH;
                    if (m != null) {
                        return m;
                    }
                    break;
                default:
                    throw new IllegalStateException(state.name());
            }
        }
    }

    private void keyExchange(byte[] theirs, Consumer<byte[]> send) throws P2pCodecException {
        if (!initiator && Arrays.equals(theirs, 4, 16, VERSION_COMMAND, 0, 12)) {
            BitcoinNetwork other = BitcoinNetwork.ofMagic(FrameHeader.magic(theirs, 0));
            throw new P2pCodecException(V2_HANDSHAKE, "it sent a v1 version message for "
                    + (other == null ? "an unknown network" : other.displayName()) + ", this endpoint is on " + network.displayName());
        }
        cipher = new Bip324Cipher(keys, theirs, initiator, network);
        byte[] first = initiator ? new byte[0] : greeting();
        byte[] terminator = cipher.sendTerminator();
        byte[] version = cipher.encrypt(new byte[0], 0, 0, ourGarbage, false);
        byte[] out = Arrays.copyOf(first, first.length + terminator.length + version.length);
        System.arraycopy(terminator, 0, out, first.length, terminator.length);
        System.arraycopy(version, 0, out, first.length + terminator.length, version.length);
        send.accept(out);
        while (!waiting.isEmpty()) {
            byte[] contents = waiting.removeFirst();
            send.accept(cipher.encrypt(contents, 0, contents.length, new byte[0], false));
        }
        state = State.GARBAGE;
    }

    /** Finds their terminator within the garbage allowed; false when more bytes are needed. */
    private boolean garbage(ByteBuffer in) throws P2pCodecException {
        byte[] terminator = cipher.receiveTerminator();
        int start = in.position();
        int searchable = Math.min(in.remaining(), MAX_GARBAGE + Bip324Cipher.TERMINATOR_SIZE);
        for (int i = 0; i + Bip324Cipher.TERMINATOR_SIZE <= searchable; i++) {
            if (matches(in, start + i, terminator)) {
                receivedGarbage = new byte[i];
                in.get(receivedGarbage);
                in.position(in.position() + Bip324Cipher.TERMINATOR_SIZE);
                state = State.LENGTH;
                return true;
            }
        }
        if (searchable == MAX_GARBAGE + Bip324Cipher.TERMINATOR_SIZE) {
            throw new P2pCodecException(V2_HANDSHAKE, "no garbage terminator within " + MAX_GARBAGE + " bytes of garbage");
        }
        return false;
    }

    private static boolean matches(ByteBuffer in, int at, byte[] terminator) {
        for (int j = 0; j < terminator.length; j++) {
            if (in.get(at + j) != terminator[j]) {
                return false;
            }
        }
        return true;
    }

    /** Decrypts one packet; null for a decoy, the version packet or an unknown short id. */
    private Message packet(ByteBuffer in, int size) throws P2pCodecException {
        byte[] plain = new byte[Bip324Cipher.HEADER_SIZE + contentLength];
        byte[] aad = receivedGarbage == null ? new byte[0] : receivedGarbage;
        // only the first packet after the terminator carries the garbage as associated data
        receivedGarbage = null;
        if (in.hasArray()) {
            cipher.decrypt(aad, in.array(), in.arrayOffset() + in.position(), contentLength, plain);
            in.position(in.position() + size);
        } else {
            byte[] packet = new byte[size];
            in.get(packet);
            cipher.decrypt(aad, packet, 0, contentLength, plain);
        }
        if ((plain[0] & Bip324Cipher.IGNORE_BIT) != 0) {
            ignored++;
            return null;
        }
        if (!versionReceived) {
            // the version packet's contents are reserved for future versions: ignored
            versionReceived = true;
            return null;
        }
        Message m = message(plain);
        if (m == null) {
            ignored++;
        }
        return m;
    }

    private static Message message(byte[] plain) throws P2pCodecException {
        if (plain.length < 2) {
            throw new P2pCodecException(P2pCodecException.Kind.BAD_COMMAND, "a v2 packet without a message type");
        }
        int id = plain[1] & 0xff;
        if (id != 0) {
            if (id >= SHORT_IDS.length) {
                return null;
            }
            return new Message(SHORT_IDS[id], Arrays.copyOfRange(plain, 2, plain.length));
        }
        if (plain.length < 2 + FrameHeader.COMMAND_SIZE) {
            throw new P2pCodecException(P2pCodecException.Kind.BAD_COMMAND, "a v2 packet cut short in its message type");
        }
        // the 12 bytes are judged as a v1 header's command: printable ASCII, then NULs
        byte[] header = new byte[FrameHeader.SIZE];
        System.arraycopy(plain, 2, header, 4, FrameHeader.COMMAND_SIZE);
        String command = FrameHeader.parse(header, 0, 0).command();
        return new Message(command, Arrays.copyOfRange(plain, 2 + FrameHeader.COMMAND_SIZE, plain.length));
    }

    /** Sends a message (now, or once the keys are agreed). */
    public void send(String command, byte[] payload, Consumer<byte[]> send) {
        byte[] contents = contents(command, payload);
        if (cipher == null) {
            waiting.addLast(contents);
        } else {
            send.accept(cipher.encrypt(contents, 0, contents.length, new byte[0], false));
        }
    }

    /** A decoy packet of {@code length} zero bytes, which the peer skips; only once the keys are agreed. */
    public byte[] decoy(int length) {
        return cipher.encrypt(new byte[length], 0, length, new byte[0], true);
    }

    /** The packet contents for a message: its short id or 0 and the 12-byte command, then the payload. */
    static byte[] contents(String command, byte[] payload) {
        Integer id = SHORT_ID_OF.get(command);
        int typeSize = id != null ? 1 : 1 + FrameHeader.COMMAND_SIZE;
        byte[] contents = new byte[typeSize + payload.length];
        if (id != null) {
            contents[0] = id.byteValue();
        } else {
            byte[] c = command.getBytes(StandardCharsets.US_ASCII);
            if (c.length == 0 || c.length > FrameHeader.COMMAND_SIZE) {
                throw new IllegalArgumentException("command must have 1 to 12 characters: " + command);
            }
            System.arraycopy(c, 0, contents, 1, c.length);
        }
        System.arraycopy(payload, 0, contents, typeSize, payload.length);
        return contents;
    }
}
