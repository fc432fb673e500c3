package org.peerobserver.bitcoin;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One side of a BIP324 session once the keys are exchanged: the HKDF-SHA256 key schedule, FSChaCha20 for the
 * 3-byte lengths and FSChaCha20Poly1305 for the packets (both rekeyed every 224 messages), the two garbage
 * terminators and the session id. ChaCha20 and Poly1305 are our own ({@link ChaCha20}, {@link Poly1305},
 * {@link ChaCha20Poly1305}, checked against RFC 8439's vectors and the JDK): Java 17's JCE ciphers (no ChaCha20 or
 * Poly1305 intrinsics before JDK 20) want a {@code Cipher.init} per packet and kept v2 decoding well under its
 * 200 MB/s target; BouncyCastle's lightweight ChaCha20-Poly1305 was no faster and Tink's pure-Java one slower.
 * Ours keep their state from packet to packet and allocate nothing (figures in docs/p2p-extractor.md).
 */
public final class Bip324Cipher {
    /** Bytes of the encrypted length in front of every packet. */
    public static final int LENGTH_SIZE = 3;
    /** The header byte and the Poly1305 tag: what a packet adds to its contents besides the length. */
    public static final int HEADER_SIZE = 1;
    public static final int TAG_SIZE = 16;
    /** Bytes of a garbage terminator. */
    public static final int TERMINATOR_SIZE = 16;
    /** The header bit of a packet the receiver must ignore (a decoy). */
    public static final int IGNORE_BIT = 0x80;
    static final int REKEY_INTERVAL = 224;

    private final FsChaCha20 sendLength;
    private final FsChaCha20Poly1305 sendPacket;
    private final FsChaCha20 receiveLength;
    private final FsChaCha20Poly1305 receivePacket;
    private final byte[] sendTerminator;
    private final byte[] receiveTerminator;
    private final byte[] sessionId;
    private final byte[] sharedSecret;
    /** Keys as derived, for the test vectors: initiator L, initiator P, responder L, responder P. */
    private final byte[][] keys;

    /**
     * The session between our key pair and their 64-byte encoding; the initiator is the side that dialled.
     * The network's magic salts the keys, so nodes on different networks never agree on them.
     */
    public Bip324Cipher(ElligatorSwift.KeyPair ours, byte[] theirEncoded, boolean initiator, BitcoinNetwork network) {
        byte[] ecdh = ElligatorSwift.ecdhX(theirEncoded, ours.secret());
        byte[] secret = initiator ? taggedHash(ours.encoded(), theirEncoded, ecdh) : taggedHash(theirEncoded, ours.encoded(), ecdh);
        byte[] salt = concat("bitcoin_v2_shared_secret".getBytes(StandardCharsets.US_ASCII), magicBytes(network));
        sharedSecret = secret;
        byte[] prk = hmac(salt, secret);
        keys = new byte[][] {expand(prk, "initiator_L"), expand(prk, "initiator_P"), expand(prk, "responder_L"), expand(prk, "responder_P")};
        byte[] terminators = expand(prk, "garbage_terminators");
        sessionId = expand(prk, "session_id");
        byte[] initiatorTerminator = java.util.Arrays.copyOfRange(terminators, 0, TERMINATOR_SIZE);
        byte[] responderTerminator = java.util.Arrays.copyOfRange(terminators, TERMINATOR_SIZE, 2 * TERMINATOR_SIZE);
        int send = initiator ? 0 : 2;
        int receive = initiator ? 2 : 0;
        sendLength = new FsChaCha20(keys[send]);
        sendPacket = new FsChaCha20Poly1305(keys[send + 1]);
        receiveLength = new FsChaCha20(keys[receive]);
        receivePacket = new FsChaCha20Poly1305(keys[receive + 1]);
        sendTerminator = initiator ? initiatorTerminator : responderTerminator;
        receiveTerminator = initiator ? responderTerminator : initiatorTerminator;
    }

    public byte[] sendTerminator() {
        return sendTerminator.clone();
    }

    public byte[] receiveTerminator() {
        return receiveTerminator.clone();
    }

    public byte[] sessionId() {
        return sessionId.clone();
    }

    byte[] sharedSecret() {
        return sharedSecret;
    }

    byte[][] keys() {
        return keys;
    }

    /** A whole packet: encrypted length, then header and {@code contents[off, off+len)} encrypted and tagged. */
    public byte[] encrypt(byte[] contents, int off, int len, byte[] aad, boolean ignore) {
        byte[] out = new byte[LENGTH_SIZE + HEADER_SIZE + len + TAG_SIZE];
        littleEndian(out, 0, sendLength.crypt(len), LENGTH_SIZE);
        out[LENGTH_SIZE] = (byte) (ignore ? IGNORE_BIT : 0);
        System.arraycopy(contents, off, out, LENGTH_SIZE + HEADER_SIZE, len);
        sendPacket.encrypt(aad, out, LENGTH_SIZE, HEADER_SIZE + len, out, LENGTH_SIZE);
        return out;
    }

    /** The contents length the next packet announces, from its 3 encrypted bytes read from {@code in}. */
    public int decryptLength(ByteBuffer in) {
        return receiveLength.crypt((in.get() & 0xff) | (in.get() & 0xff) << 8 | (in.get() & 0xff) << 16);
    }

    /**
     * Decrypts the packet of {@code contentLength} (as {@link #decryptLength} said) at {@code in[off]}, header byte
     * first, into {@code out[0, 1 + contentLength)}; a packet whose tag does not verify is refused.
     */
    public void decrypt(byte[] aad, byte[] in, int off, int contentLength, byte[] out) throws P2pCodecException {
        if (!receivePacket.decrypt(aad, in, off, HEADER_SIZE + contentLength + TAG_SIZE, out, 0)) {
            throw new P2pCodecException(P2pCodecException.Kind.BAD_TAG, "a v2 packet fails authentication");
        }
    }

    private static byte[] magicBytes(BitcoinNetwork network) {
        int m = network.magic();
        return new byte[] {(byte) (m >>> 24), (byte) (m >>> 16), (byte) (m >>> 8), (byte) m};
    }

    private static byte[] taggedHash(byte[] a, byte[] b, byte[] c) {
        MessageDigest md = Hashes.sha256();
        byte[] tag = md.digest("bip324_ellswift_xonly_ecdh".getBytes(StandardCharsets.US_ASCII));
        md.update(tag);
        md.update(tag);
        md.update(a);
        md.update(b);
        md.update(c);
        return md.digest();
    }

    /** HKDF-Expand for one 32-byte output block (all BIP324 needs). */
    private static byte[] expand(byte[] prk, String info) {
        return hmac(prk, concat(info.getBytes(StandardCharsets.US_ASCII), new byte[] {1}));
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java has HmacSHA256", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void littleEndian(byte[] b, int off, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    /**
     * BIP324's FSChaCha20: one ChaCha20 keystream over all lengths; every 224 of them the next 32 bytes become the
     * key. Those 224 lengths and the key are 704 bytes, eleven whole blocks, made at once when the key is set.
     */
    static final class FsChaCha20 {
        private static final int KEYSTREAM_SIZE = REKEY_INTERVAL * LENGTH_SIZE + 32;
        private static final byte[] ZEROS = new byte[KEYSTREAM_SIZE];
        private final ChaCha20 chacha = new ChaCha20();
        private final byte[] keystream = new byte[KEYSTREAM_SIZE];
        private final byte[] nonce = new byte[12];
        private long rekeys;
        private int used;

        FsChaCha20(byte[] key) {
            start(key, 0);
        }

        private void start(byte[] key, int off) {
            littleEndian(nonce, 4, rekeys, 8);
            chacha.init(key, off, nonce, 0);
            chacha.crypt(0, ZEROS, 0, keystream, 0, KEYSTREAM_SIZE);
            used = 0;
        }

        /** XORs a 3-byte little-endian length with the next 3 keystream bytes. */
        int crypt(int length) {
            int at = used * LENGTH_SIZE;
            int k = (keystream[at] & 0xff) | (keystream[at + 1] & 0xff) << 8 | (keystream[at + 2] & 0xff) << 16;
            if (++used == REKEY_INTERVAL) {
                rekeys++;
                start(keystream, REKEY_INTERVAL * LENGTH_SIZE);
            }
            return length ^ k;
        }
    }

    /** BIP324's FSChaCha20Poly1305: the packet count is the nonce; every 224 packets a new key. */
    static final class FsChaCha20Poly1305 {
        private static final byte[] NONE = new byte[0];
        private final ChaCha20Poly1305 aead = new ChaCha20Poly1305();
        private final byte[] key;
        private final byte[] nonce = new byte[12];
        private final byte[] rekey = new byte[32 + TAG_SIZE];
        private long packets;

        FsChaCha20Poly1305(byte[] key) {
            this.key = key.clone();
        }

        void encrypt(byte[] aad, byte[] in, int off, int len, byte[] out, int outOff) {
            aead.encrypt(key, nonce(), aad, in, off, len, out, outOff);
            next();
        }

        /** Decrypts ciphertext and tag ({@code len} bytes); false, and the count unchanged, when the tag fails. */
        boolean decrypt(byte[] aad, byte[] in, int off, int len, byte[] out, int outOff) {
            if (!aead.decrypt(key, nonce(), aad, in, off, len, out, outOff)) {
                return false;
            }
            next();
            return true;
        }

        private byte[] nonce() {
            littleEndian(nonce, 0, packets % REKEY_INTERVAL, 4);
            littleEndian(nonce, 4, packets / REKEY_INTERVAL, 8);
            return nonce;
        }

        private void next() {
            if (++packets % REKEY_INTERVAL == 0) {
                // the new key: 32 zero bytes encrypted with the nonce 0xffffffff and this key's rekey count
                littleEndian(nonce, 0, 0xffffffffL, 4);
                aead.encrypt(key, nonce, NONE, rekey, 0, 32, rekey, 0);
                System.arraycopy(rekey, 0, key, 0, 32);
                java.util.Arrays.fill(rekey, (byte) 0);
            }
        }
    }
}
