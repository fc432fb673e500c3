package org.peerobserver.bitcoin;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * BIP324's public keys: secp256k1 X coordinates encoded as 64 uniformly random looking bytes (ElligatorSwift,
 * "u || t"), and the X-only ECDH on them. The field and point arithmetic is BouncyCastle's secp256k1; the
 * encoding and decoding follow the BIP's reference functions {@code xswiftec} and {@code xswiftec_inv}.
 */
public final class ElligatorSwift {
    /** A key pair: the 32-byte secret scalar (big-endian) and our 64-byte encoded public key. */
    public record KeyPair(byte[] secret, byte[] encoded) {
    }

    private static final X9ECParameters SECP256K1 = CustomNamedCurves.getByName("secp256k1");
    private static final ECCurve CURVE = SECP256K1.getCurve();
    private static final BigInteger P = CURVE.getField().getCharacteristic();
    private static final BigInteger N = SECP256K1.getN();
    private static final ECFieldElement ONE = fe(BigInteger.ONE);
    private static final ECFieldElement TWO = fe(BigInteger.TWO);
    private static final ECFieldElement SEVEN = fe(BigInteger.valueOf(7));
    /** sqrt(-3): the root p's exponent (p+1)/4 gives, as the BIP's reference takes it. */
    private static final ECFieldElement MINUS_3_SQRT = fe(P.subtract(BigInteger.valueOf(3)).modPow(P.add(BigInteger.ONE).shiftRight(2), P));

    private ElligatorSwift() {
    }

    private static ECFieldElement fe(BigInteger v) {
        return CURVE.fromBigInteger(v.mod(P));
    }

    private static ECFieldElement fe(byte[] b, int off) {
        return fe(new BigInteger(1, Arrays.copyOfRange(b, off, off + 32)));
    }

    private static boolean validX(ECFieldElement x) {
        return x.square().multiply(x).add(SEVEN).sqrt() != null;
    }

    /** The X coordinate that (u, t) encodes: every pair of field elements encodes one. */
    static ECFieldElement xswiftec(ECFieldElement u, ECFieldElement t) {
        if (u.isZero()) {
            u = ONE;
        }
        if (t.isZero()) {
            t = ONE;
        }
        ECFieldElement u3plus7 = u.square().multiply(u).add(SEVEN);
        if (u3plus7.add(t.square()).isZero()) {
            t = t.add(t);
        }
        ECFieldElement x = u3plus7.subtract(t.square()).divide(t.add(t));
        ECFieldElement y = x.add(t).divide(MINUS_3_SQRT.multiply(u));
        ECFieldElement c1 = u.add(y.square().multiply(fe(BigInteger.valueOf(4))));
        if (validX(c1)) {
            return c1;
        }
        ECFieldElement xy = x.divide(y);
        ECFieldElement c2 = xy.negate().subtract(u).divide(TWO);
        if (validX(c2)) {
            return c2;
        }
        return xy.subtract(u).divide(TWO);
    }

    /** A t with xswiftec(u, t) = x, for {@code c} (0..7) one of the up to 8 ways; null when that way has none. */
    static ECFieldElement xswiftecInv(ECFieldElement x, ECFieldElement u, int c) {
        ECFieldElement s;
        ECFieldElement v;
        ECFieldElement u3plus7 = u.square().multiply(u).add(SEVEN);
        if ((c & 2) == 0) {
            if (validX(x.negate().subtract(u))) {
                return null;
            }
            v = x;
            s = u3plus7.negate().divide(u.square().add(u.multiply(v)).add(v.square()));
        } else {
            s = x.subtract(u);
            if (s.isZero()) {
                return null;
            }
            ECFieldElement r = s.negate().multiply(u3plus7.multiply(fe(BigInteger.valueOf(4)))
                    .add(s.multiply(fe(BigInteger.valueOf(3))).multiply(u.square()))).sqrt();
            if (r == null || ((c & 1) != 0 && r.isZero())) {
                return null;
            }
            v = u.negate().add(r.divide(s)).divide(TWO);
        }
        ECFieldElement w = s.sqrt();
        if (w == null) {
            return null;
        }
        ECFieldElement half = u.multiply((c & 1) == 0 ? ONE.subtract(MINUS_3_SQRT) : ONE.add(MINUS_3_SQRT)).divide(TWO).add(v);
        ECFieldElement t = w.multiply(half);
        // cases 0 and 5 take the negative root, 1 and 4 the positive one (the BIP's table)
        return (c & 5) == 0 || (c & 5) == 5 ? t.negate() : t;
    }

    /** The 32-byte X coordinate a 64-byte encoding stands for. */
    public static byte[] decode(byte[] encoded) {
        return bytes(xswiftec(fe(encoded, 0), fe(encoded, 32)));
    }

    /** t for (x, u, case) as 32 bytes, or null: the BIP's xswiftec_inv, for its test vectors. */
    static byte[] inverse(byte[] x, byte[] u, int c) {
        ECFieldElement t = xswiftecInv(fe(x, 0), fe(u, 0), c);
        return t == null ? null : bytes(t);
    }

    /** A fresh key pair: a random secret, and a random one of the encodings of its public key's X. */
    public static KeyPair generate(SecureRandom random) {
        BigInteger d;
        do {
            d = new BigInteger(256, random);
        } while (d.signum() == 0 || d.compareTo(N) >= 0);
        byte[] secret = bytes32(d);
        return new KeyPair(secret, encode(publicX(secret), random));
    }

    /** The X coordinate of secret * G. */
    static ECFieldElement publicX(byte[] secret) {
        return new FixedPointCombMultiplier().multiply(SECP256K1.getG(), new BigInteger(1, secret)).normalize().getAffineXCoord();
    }

    static byte[] publicXBytes(byte[] secret) {
        return bytes(publicX(secret));
    }

    private static byte[] encode(ECFieldElement x, SecureRandom random) {
        byte[] u = new byte[32];
        while (true) {
            random.nextBytes(u);
            ECFieldElement fu = fe(u, 0);
            if (fu.isZero()) {
                continue;
            }
            ECFieldElement t = xswiftecInv(x, fu, random.nextInt(8));
            if (t != null) {
                byte[] out = new byte[64];
                System.arraycopy(bytes(fu), 0, out, 0, 32);
                System.arraycopy(bytes(t), 0, out, 32, 32);
                return out;
            }
        }
    }

    /** The X coordinate of secret * (their key): the ECDH point both sides reach, 32 bytes. */
    public static byte[] ecdhX(byte[] theirEncoded, byte[] secret) {
        ECFieldElement x = xswiftec(fe(theirEncoded, 0), fe(theirEncoded, 32));
        // xswiftec only yields X coordinates on the curve, so the root exists
        ECFieldElement y = x.square().multiply(x).add(SEVEN).sqrt();
        ECPoint shared = CURVE.createPoint(x.toBigInteger(), y.toBigInteger()).multiply(new BigInteger(1, secret)).normalize();
        return bytes(shared.getAffineXCoord());
    }

    private static byte[] bytes(ECFieldElement e) {
        return bytes32(e.toBigInteger());
    }

    private static byte[] bytes32(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }
}
