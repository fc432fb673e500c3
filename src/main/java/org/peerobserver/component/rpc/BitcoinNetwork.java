package org.peerobserver.component.rpc;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The chains Bitcoin Core runs on: each has its own default RPC port and its own datadir subdirectory. */
enum BitcoinNetwork {
    MAINNET(8332, ""),
    TESTNET(18332, "testnet3"),
    TESTNET4(48332, "testnet4"),
    SIGNET(38332, "signet"),
    REGTEST(18443, "regtest");

    private final int rpcPort;
    private final String dataSubdirectory;

    BitcoinNetwork(int rpcPort, String dataSubdirectory) {
        this.rpcPort = rpcPort;
        this.dataSubdirectory = dataSubdirectory;
    }

    int rpcPort() {
        return rpcPort;
    }

    /** Where bitcoind writes this chain's files below the datadir ({@code ""} for mainnet). */
    String dataSubdirectory() {
        return dataSubdirectory;
    }

    /** Accepts our names and Bitcoin Core's own ({@code main}, {@code test}, as {@code -chain=} takes them). */
    static BitcoinNetwork of(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "", "mainnet", "main", "bitcoin": return MAINNET;
            case "testnet", "testnet3", "test": return TESTNET;
            case "testnet4": return TESTNET4;
            case "signet": return SIGNET;
            case "regtest": return REGTEST;
            default: throw new IllegalArgumentException("unknown Bitcoin network '" + name + "' (setting BITCOIN_NETWORK); one of "
                    + Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }
}
