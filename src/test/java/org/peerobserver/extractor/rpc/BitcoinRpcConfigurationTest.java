package org.peerobserver.extractor.rpc;

import java.time.Duration;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Defaults derived from the network, as bitcoind and bitcoin-cli derive them. */
class BitcoinRpcConfigurationTest {

    private static BitcoinRpcConfiguration on(String network) {
        BitcoinRpcConfiguration c = new BitcoinRpcConfiguration();
        c.setNetwork(network);
        c.setDataDir("/data/btc");
        return c;
    }

    @Test
    void portAndCookieOfEachNetwork() {
        assertEquals("127.0.0.1:8332", on("mainnet").authority());
        assertEquals(Path.of("/data/btc/.cookie"), on("mainnet").cookiePath());
        assertEquals("127.0.0.1:18332", on("testnet").authority());
        assertEquals(Path.of("/data/btc/testnet3/.cookie"), on("test").cookiePath());
        assertEquals("127.0.0.1:48332", on("testnet4").authority());
        assertEquals(Path.of("/data/btc/testnet4/.cookie"), on("testnet4").cookiePath());
        assertEquals("127.0.0.1:38332", on("signet").authority());
        assertEquals(Path.of("/data/btc/signet/.cookie"), on("signet").cookiePath());
        assertEquals("127.0.0.1:18443", on("regtest").authority());
        assertEquals(Path.of("/data/btc/regtest/.cookie"), on("REGTEST").cookiePath());
    }

    @Test
    void explicitSettingsWin() {
        BitcoinRpcConfiguration c = on("regtest");
        c.setHost("::1");
        c.setPort(19000);
        c.setCookieFile("/run/bitcoind/.cookie");
        assertEquals("[::1]:19000", c.authority());
        assertEquals(Path.of("/run/bitcoind/.cookie"), c.cookiePath());
        assertTrue(c.usesCookie());
        c.setUser("alice");
        assertEquals(false, c.usesCookie());
        c.setDataDir(null);
        c.setCookieFile("");
        assertEquals(Path.of(System.getProperty("user.home"), ".bitcoin", "regtest", ".cookie"), c.cookiePath());
    }

    @Test
    void methodsInUpstreamOrderThenExtraOnesOnce() {
        BitcoinRpcConfiguration c = on("regtest");
        c.setMemoryInfo(false);
        c.setExtraMethods(" getblockchaininfo,,uptime, getnetworkinfo ,getblockchaininfo");
        assertEquals(List.of("getpeerinfo", "getmempoolinfo", "uptime", "getnettotals", "getaddrmaninfo",
                "getblockchaininfo", "getnetworkinfo"), c.polledMethods());
    }

    @Test
    void impossibleSettingsFailAtStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> on("mainnet2").validate());
        assertEquals("unknown Bitcoin network 'mainnet2' (setting BITCOIN_NETWORK); one of mainnet, testnet, testnet4,"
                + " signet, regtest", e.getMessage());
        BitcoinRpcConfiguration c = on("regtest");
        c.setPort(70000);
        assertThrows(IllegalArgumentException.class, c::validate);
        c = on("regtest");
        c.setTimeout(Duration.ofSeconds(0));
        assertThrows(IllegalArgumentException.class, c::validate);
    }
}
