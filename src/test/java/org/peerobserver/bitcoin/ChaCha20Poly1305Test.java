package org.peerobserver.bitcoin;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our ChaCha20, Poly1305 and their AEAD against RFC 8439's test vectors and the JDK's ChaCha20-Poly1305. */
class ChaCha20Poly1305Test {
    private static final String SUNSCREEN = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
        + "sunscreen would be it.";
    private static final String IETF_TEXT = "Any submission to the IETF intended by the Contributor for publication as all or part of a"
        + "n IETF Internet-Draft or RFC and any statement made within the context of an IETF activity"
        + " is considered an \"IETF Contribution\". Such statements include oral statements in IETF ses"
        + "sions, as well as written and electronic communications made at any time or place, which a"
        + "re addressed to";

    private static byte[] hex(String s) {
        return Hashes.fromHex(s);
    }

    /** RFC 8439 §2.4.2: ChaCha20 from block 1 over two blocks and a part. */
    @Test
    void chacha20() {
        byte[] plain = SUNSCREEN.getBytes(StandardCharsets.US_ASCII);
        ChaCha20 chacha = new ChaCha20();
        chacha.init(hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"), 0, hex("000000000000004a00000000"), 0);
        byte[] out = new byte[plain.length];
        chacha.crypt(1, plain, 0, out, 0, plain.length);
        assertEquals("6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0bf91b65c5524733ab8f593dabcd62b357"
            + "1639d624e65152ab8f530c359f0861d807ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
            + "5af90bbf74a35be6b40b8eedf2785e42874d", Hashes.hex(out));
    }

    /** RFC 8439 §2.5.2 and the appendix's A.3 #1 to #11 (#5 to #11 hit the corners of the reduction mod 2^130-5). */
    @Test
    void poly1305() {
        String[][] vectors = {
            // §2.5.2
            {"85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b",
                Hashes.hex("Cryptographic Forum Research Group".getBytes(StandardCharsets.US_ASCII)),
                "a8061dc1305136c6c22b8baf0c0127a9"},
            // #1
            {"0000000000000000000000000000000000000000000000000000000000000000",
                "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                    + "00000000000000000000000000000000",
                "00000000000000000000000000000000"},
            // #2
            {"0000000000000000000000000000000036e5f6b5c5e06070f0efca96227a863e",
                Hashes.hex(IETF_TEXT.getBytes(StandardCharsets.US_ASCII)),
                "36e5f6b5c5e06070f0efca96227a863e"},
            // #3
            {"36e5f6b5c5e06070f0efca96227a863e00000000000000000000000000000000",
                Hashes.hex(IETF_TEXT.getBytes(StandardCharsets.US_ASCII)),
                "f3477e7cd95417af89a6b8794c310cf0"},
            // #4
            {"1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0",
                "2754776173206272696c6c69672c20616e642074686520736c6974687920746f7665730a446964206779726520616e64"
                    + "2067696d626c6520696e2074686520776162653a0a416c6c206d696d737920776572652074686520626f726f676f7665"
                    + "732c0a416e6420746865206d6f6d65207261746873206f757467726162652e",
                "4541669a7eaaee61e708dc7cbcc5eb62"},
            // #5
            {"0200000000000000000000000000000000000000000000000000000000000000",
                "ffffffffffffffffffffffffffffffff",
                "03000000000000000000000000000000"},
            // #6
            {"02000000000000000000000000000000ffffffffffffffffffffffffffffffff",
                "02000000000000000000000000000000",
                "03000000000000000000000000000000"},
            // #7
            {"0100000000000000000000000000000000000000000000000000000000000000",
                "fffffffffffffffffffffffffffffffff0ffffffffffffffffffffffffffffff11000000000000000000000000000000",
                "05000000000000000000000000000000"},
            // #8
            {"0100000000000000000000000000000000000000000000000000000000000000",
                "fffffffffffffffffffffffffffffffffbfefefefefefefefefefefefefefefe01010101010101010101010101010101",
                "00000000000000000000000000000000"},
            // #9
            {"0200000000000000000000000000000000000000000000000000000000000000",
                "fdffffffffffffffffffffffffffffff",
                "faffffffffffffffffffffffffffffff"},
            // #10
            {"0100000000000000040000000000000000000000000000000000000000000000",
                "e33594d7505e43b900000000000000003394d7505e4379cd010000000000000000000000000000000000000000000000"
                    + "01000000000000000000000000000000",
                "14000000000000005500000000000000"},
            // #11
            {"0100000000000000040000000000000000000000000000000000000000000000",
                "e33594d7505e43b900000000000000003394d7505e4379cd010000000000000000000000000000000000000000000000",
                "13000000000000000000000000000000"},
        };
        Poly1305 poly = new Poly1305();
        byte[] tag = new byte[Poly1305.TAG_SIZE];
        for (String[] v : vectors) {
            byte[] message = hex(v[1]);
            poly.init(hex(v[0]), 0);
            poly.update(message, 0, message.length, false);
            poly.finish(tag, 0);
            assertEquals(v[2], Hashes.hex(tag), v[1]);
            // the same in whole blocks, then the rest
            int split = message.length / 2 & ~15;
            poly.init(hex(v[0]), 0);
            poly.update(message, 0, split, false);
            poly.update(message, split, message.length - split, false);
            assertTrue(poly.verify(hex(v[2]), 0), v[1]);
        }
    }

    /** RFC 8439 §2.8.2: encryption with associated data. */
    @Test
    void aeadEncrypt() {
        byte[] plain = SUNSCREEN.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[plain.length + ChaCha20Poly1305.TAG_SIZE];
        new ChaCha20Poly1305().encrypt(hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"),
            hex("070000004041424344454647"), hex("50515253c0c1c2c3c4c5c6c7"), plain, 0, plain.length, out, 0);
        assertEquals("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
            + "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
            + "3ff4def08e4b7a9de576d26586cec64b6116"
            + "1ae10b594f09e26a7e902ecbd0600691", Hashes.hex(out));
    }

    /** RFC 8439 A.5: decryption, the tag checked first. */
    @Test
    void aeadDecrypt() {
        byte[] in = hex("64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb24c6cfc18755d43eea09ee94e382d26b0"
            + "bdb7b73c321b0100d4f03b7f355894cf332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855"
            + "9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4b9166c767b804d46a59b5216cde7a4e9"
            + "9040c5a40433225ee282a1b0a06c523eaf4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a"
            + "0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a1049e617d91d361094fa68f0ff77987130"
            + "305beaba2eda04df997b714d6c6f2c29a6ad5cb4022b02709b"
            + "eead9d67890cbb22392336fea1851f38");
        byte[] key = hex("1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0");
        byte[] nonce = hex("000000000102030405060708");
        byte[] aad = hex("f33388860000000000004e91");
        byte[] out = new byte[in.length - ChaCha20Poly1305.TAG_SIZE];
        assertTrue(new ChaCha20Poly1305().decrypt(key, nonce, aad, in, 0, in.length, out, 0));
        assertEquals("Internet-Drafts are draft documents valid for a maximum of six months and may be updated, "
            + "replaced, or obsoleted by other documents at any time. It is inappropriate to use Internet"
            + "-Drafts as reference material or to cite them other than as /\u201cwork in progress./\u201d", new String(out, StandardCharsets.UTF_8));
    }

    /** Any changed bit of text, tag or associated data is refused, and nothing is written. */
    @Test
    void tamperedPacketsAreRefused() {
        SplittableRandom random = new SplittableRandom(8439);
        byte[] key = bytes(random, 32);
        byte[] nonce = bytes(random, 12);
        byte[] aad = bytes(random, 20);
        byte[] plain = bytes(random, 100);
        byte[] sealed = new byte[plain.length + ChaCha20Poly1305.TAG_SIZE];
        ChaCha20Poly1305 aead = new ChaCha20Poly1305();
        aead.encrypt(key, nonce, aad, plain, 0, plain.length, sealed, 0);
        byte[] out = new byte[plain.length];
        assertTrue(aead.decrypt(key, nonce, aad, sealed, 0, sealed.length, out, 0));
        assertArrayEquals(plain, out);
        byte[] untouched = new byte[plain.length];
        Arrays.fill(untouched, (byte) 0x55);
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] tampered = sealed.clone();
            tampered[bit / 8] ^= (byte) (1 << bit % 8);
            Arrays.fill(out, (byte) 0x55);
            assertFalse(aead.decrypt(key, nonce, aad, tampered, 0, tampered.length, out, 0), "bit " + bit);
            assertArrayEquals(untouched, out, "bit " + bit);
        }
        byte[] otherAad = aad.clone();
        otherAad[3] ^= 1;
        assertFalse(aead.decrypt(key, nonce, otherAad, sealed, 0, sealed.length, out, 0));
        assertFalse(aead.decrypt(key, nonce, aad, sealed, 0, ChaCha20Poly1305.TAG_SIZE - 1, out, 0));
    }

    /** Every length 0 to 1100 with random keys, nonces and associated data agrees with the JDK, both ways, and in place. */
    @Test
    void agreesWithTheJdk() throws Exception {
        SplittableRandom random = new SplittableRandom(20);
        Cipher jdk = Cipher.getInstance("ChaCha20-Poly1305");
        ChaCha20Poly1305 ours = new ChaCha20Poly1305();
        for (int len = 0; len <= 1100; len++) {
            byte[] key = bytes(random, 32);
            byte[] nonce = bytes(random, 12);
            byte[] aad = bytes(random, random.nextInt(40));
            byte[] plain = bytes(random, len);
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
            jdk.updateAAD(aad);
            byte[] expected = jdk.doFinal(plain);
            int off = random.nextInt(8);
            byte[] sealed = new byte[off + expected.length];
            System.arraycopy(plain, 0, sealed, off, len);
            ours.encrypt(key, nonce, aad, sealed, off, len, sealed, off);
            assertArrayEquals(expected, Arrays.copyOfRange(sealed, off, sealed.length), "length " + len);
            byte[] out = new byte[len];
            assertTrue(ours.decrypt(key, nonce, aad, expected, 0, expected.length, out, 0), "length " + len);
            assertArrayEquals(plain, out, "length " + len);
        }
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
