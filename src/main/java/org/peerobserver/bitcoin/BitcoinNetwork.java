package org.peerobserver.bitcoin;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The chains Bitcoin Core runs on ({@code src/kernel/chainparams.cpp}, {@code src/chainparamsbase.cpp}): each has
 * its own 4-byte P2P message start ("magic"), default P2P and RPC ports, and datadir subdirectory. Signet's magic
 * is the one of the default signet challenge.
 */
public enum BitcoinNetwork {
    MAINNET(0xf9beb4d9, 8333, 8332, ""),
    TESTNET(0x0b110907, 18333, 18332, "testnet3"),
    TESTNET4(0x1c163f28, 48333, 48332, "testnet4"),
    SIGNET(0x0a03cf40, 38333, 38332, "signet"),
    REGTEST(0xfabfb5da, 18444, 18443, "regtest");

    private final int magic;
    private final int p2pPort;
    private final int rpcPort;
    private final String dataSubdirectory;

    BitcoinNetwork(int magic, int p2pPort, int rpcPort, String dataSubdirectory) {
        this.magic = magic;
        this.p2pPort = p2pPort;
        this.rpcPort = rpcPort;
        this.dataSubdirectory = dataSubdirectory;
    }

    /** The magic as the 4 bytes appear on the wire, read big-endian. */
    public int magic() {
        return magic;
    }

    public int p2pPort() {
        return p2pPort;
    }

    public int rpcPort() {
        return rpcPort;
    }

    /** Where bitcoind writes this chain's files below the datadir ({@code ""} for mainnet). */
    public String dataSubdirectory() {
        return dataSubdirectory;
    }

    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The network whose magic this is, or null. */
    public static BitcoinNetwork ofMagic(int magic) {
        for (BitcoinNetwork n : values()) {
            if (n.magic == magic) {
                return n;
            }
        }
        return null;
    }

    /** Accepts our names and Bitcoin Core's ({@code main}, {@code test}, as {@code -chain=} takes them). */
    public static BitcoinNetwork of(String name) {
        return of(name, null);
    }

    /** The same, naming {@code setting} (may be null) when the name is unknown. */
    public static BitcoinNetwork of(String name, String setting) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "", "mainnet", "main", "bitcoin": return MAINNET;
            case "testnet", "testnet3", "test": return TESTNET;
            case "testnet4": return TESTNET4;
            case "signet": return SIGNET;
            case "regtest": return REGTEST;
            default: throw new IllegalArgumentException("unknown Bitcoin network '" + name + "'"
                    + (setting == null ? "" : " (setting " + setting + ")") + "; one of "
                    + Arrays.stream(values()).map(BitcoinNetwork::displayName).collect(Collectors.joining(", ")));
        }
    }
}
