package org.peerobserver.bitcoin;

/**
 * The AEAD_CHACHA20_POLY1305 of RFC 8439 §2.8 on our {@link ChaCha20} and {@link Poly1305}: one instance per
 * direction, reused for every packet without allocation; not for several threads at once.
 */
final class ChaCha20Poly1305 {
    static final int TAG_SIZE = Poly1305.TAG_SIZE;
    private static final byte[] ZEROS = new byte[32];

    private final ChaCha20 chacha = new ChaCha20();
    private final Poly1305 poly = new Poly1305();
    private final byte[] polyKey = new byte[32];

    /** Encrypts {@code in[inOff, inOff+len)} into {@code out[outOff]} and appends the tag; in and out may be the same bytes. */
    void encrypt(byte[] key, byte[] nonce, byte[] aad, byte[] in, int inOff, int len, byte[] out, int outOff) {
        start(key, nonce, aad);
        chacha.crypt(1, in, inOff, out, outOff, len);
        poly.update(out, outOff, len, true);
        poly.update(aad.length, len);
        poly.finish(out, outOff + len);
    }

    /**
     * Decrypts the {@code len} bytes at {@code in[inOff]} (ciphertext, then tag) into {@code out[outOff]}; false, and
     * nothing written, when the tag does not verify.
     */
    boolean decrypt(byte[] key, byte[] nonce, byte[] aad, byte[] in, int inOff, int len, byte[] out, int outOff) {
        int textLen = len - TAG_SIZE;
        if (textLen < 0) {
            return false;
        }
        start(key, nonce, aad);
        poly.update(in, inOff, textLen, true);
        poly.update(aad.length, textLen);
        if (!poly.verify(in, inOff + textLen)) {
            return false;
        }
        chacha.crypt(1, in, inOff, out, outOff, textLen);
        return true;
    }

    /** Keys Poly1305 with the first 32 bytes of block 0 and adds the associated data. */
    private void start(byte[] key, byte[] nonce, byte[] aad) {
        chacha.init(key, 0, nonce, 0);
        chacha.crypt(0, ZEROS, 0, polyKey, 0, polyKey.length);
        poly.init(polyKey, 0);
        poly.update(aad, 0, aad.length, true);
    }
}
