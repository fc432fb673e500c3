package org.peerobserver.extractor.p2p;

import org.peerobserver.bitcoin.Hashes;

/** Payloads the listener must refuse. */
final class Vectors0 {
    /** An addrv2 entry with an IPv4-mapped address under the IPv6 network id (BIP155 forbids it). */
    static final byte[] ADDRV2_MAPPED_AS_IPV6 = Hashes.fromHex("01" + "01000000" + "00" + "02" + "10"
            + "00000000000000000000ffff01020304" + "208d");

    private Vectors0() {
    }
}
