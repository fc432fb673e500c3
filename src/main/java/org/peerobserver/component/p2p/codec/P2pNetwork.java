package org.peerobserver.component.p2p.codec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The chains Bitcoin Core speaks P2P on: each has its own 4-byte message start ("magic") and default port
 * ({@code src/kernel/chainparams.cpp}). Signet's magic is the one of the default signet challenge.
 */
public enum P2pNetwork {
    MAINNET(0xf9beb4d9, 8333),
    TESTNET3(0x0b110907, 18333),
    TESTNET4(0x1c163f28, 48333),
    SIGNET(0x0a03cf40, 38333),
    REGTEST(0xfabfb5da, 18444);

    private final int magic;
    private final int defaultPort;

    P2pNetwork(int magic, int defaultPort) {
        this.magic = magic;
        this.defaultPort = defaultPort;
    }

    /** The magic as the 4 bytes appear on the wire, read big-endian. */
    public int magic() {
        return magic;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** The network whose magic this is, or null. */
    public static P2pNetwork ofMagic(int magic) {
        for (P2pNetwork n : values()) {
            if (n.magic == magic) {
                return n;
            }
        }
        return null;
    }

    /** Accepts our names and Bitcoin Core's ({@code main}, {@code test}, as {@code -chain=} takes them). */
    public static P2pNetwork of(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "", "mainnet", "main", "bitcoin": return MAINNET;
            case "testnet", "testnet3", "test": return TESTNET3;
            case "testnet4": return TESTNET4;
            case "signet": return SIGNET;
            case "regtest": return REGTEST;
            default: throw new IllegalArgumentException("unknown Bitcoin network '" + name + "'; one of "
                    + Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }

    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
