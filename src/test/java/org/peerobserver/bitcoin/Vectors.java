package org.peerobserver.bitcoin;

/** Byte vectors of real messages, shared by the codec tests, the fuzz test and the benchmark. */
public final class Vectors {
    /** Bitcoin's genesis block (mainnet, height 0), as a {@code block} payload. */
    public static final String GENESIS_BLOCK = "01000000"
            + "0000000000000000000000000000000000000000000000000000000000000000"
            + "3ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a"
            + "29ab5f49" + "ffff001d" + "1dac2b7c"
            + "01" + Vectors.GENESIS_COINBASE;
    public static final String GENESIS_COINBASE = "01000000010000000000000000000000000000000000000000000000000000000000000000"
            + "ffffffff4d04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e2062"
            + "72696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a01000000434104678a"
            + "fdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7"
            + "ba0b8d578a4c702b6bf11d5fac00000000";
    public static final String GENESIS_HASH = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";
    public static final String GENESIS_COINBASE_TXID = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";

    /** A mainnet segwit (P2SH-P2WPKH) transaction, txid f5864806…, as a {@code tx} payload. */
    public static final String SEGWIT_TX = "02000000000101595895ea20179de87052b4046dfe6fd515860505d6511a9004cf12a1f93cac7c01000000"
            + "00ffffffff01deb807000000000017a9140f3444e271620c736808aa7b33e370bd87cb5a078702483045022"
            + "100fb60dad8df4af2841adc0346638c16d0b8035f5e3f3753b88db122e70c79f9370220756e6633b17fd271"
            + "0e626347d28d60b0a2d6cbb41de51740644b9fb3ba7751040121028fa937ca8cba2197a37c007176ed89410"
            + "55d3bcb8627d085e94553e62f057dcc00000000";
    public static final String SEGWIT_TXID = "f5864806e3565c34d1b41e716f72609d00b55ea5eac5b924c9719a842ef42206";
    public static final String SEGWIT_WTXID = "80b7d8a82d5d5bf92905b06f2014dd699e03837ca172e3a59d51426ebbe3e7f5";

    /** A {@code version} payload a Satoshi 0.9.99 node sent (May 2014); its sender is an OnionCat Tor v2 address. */
    public static final String SATOSHI_VERSION = "72110100" + "0100000000000000" + "e6e0845300000000"
            + "0100000000000000" + "00000000000000000000ffff00000000" + "0000"
            + "0100000000000000" + "fd87d87eeb4364f22cf54dca59412db7" + "208d"
            + "47d920cffce83ee8" + "10" + "2f5361746f7368693a302e392e39392f" + "2c9f0400" + "01";

    /** A {@code reject} of a transaction for conflicting with the mempool (code 0x12). */
    public static final String REJECT_TX_CONFLICT = "027478121474786e2d6d656d706f6f6c2d636f6e666c69637405df54d3860b3c41806a3546ab"
            + "48279300affacf4b88591b229141dcf2f47004";

    /** A whole mainnet {@code verack} frame (the checksum of an empty payload is 5df6e0e2). */
    public static final String MAINNET_VERACK_FRAME = "f9beb4d9" + "76657261636b000000000000" + "00000000" + "5df6e0e2";

    private Vectors() {
    }

    public static byte[] bytes(String hex) {
        return Hashes.fromHex(hex);
    }
}
