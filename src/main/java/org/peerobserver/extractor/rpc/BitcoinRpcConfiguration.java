package org.peerobserver.extractor.rpc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.peerobserver.bitcoin.BitcoinNetwork;
import org.peerobserver.support.DurationText;
import org.peerobserver.support.EndpointDefaults;

/**
 * Options of {@code bitcoin-rpc:}. The component holds one instance, set once from application.properties
 * ({@code camel.component.bitcoin-rpc.configuration.*}, so credentials stay out of endpoint URIs); each
 * endpoint gets a copy and may override options in its URI.
 */
@UriParams
@Configurer
public class BitcoinRpcConfiguration extends EndpointDefaults<BitcoinRpcConfiguration> {

    @UriParam(defaultValue = "127.0.0.1", description = "Host of the node's RPC server")
    private String host = "127.0.0.1";
    @UriParam(defaultValue = "0", description = "RPC port; 0: the network's default (8332, 18332, 48332, 38332, 18443)")
    private int port;
    @UriParam(defaultValue = "mainnet", enums = "mainnet,testnet,testnet4,signet,regtest",
              description = "Chain of the node: picks the default port and the cookie's directory")
    private String network = "mainnet";
    @UriParam(label = "security", description = "Bitcoin Core's datadir, where it writes the cookie (default ~/.bitcoin)")
    private String dataDir;
    @UriParam(label = "security", description = "Cookie file; default <dataDir>/<network subdirectory>/.cookie")
    private String cookieFile;
    @UriParam(label = "security", secret = true, description = "RPC user (rpcuser/rpcauth); unset: cookie auth")
    private String user;
    @UriParam(label = "security", secret = true, description = "RPC password")
    private String password;
    @UriParam(defaultValue = "10s", javaType = "java.time.Duration", description = "Time to wait for an answer, connecting included")
    private Duration timeout = Duration.ofSeconds(10);
    @UriParam(defaultValue = "16777216", description = "Largest answer accepted, in bytes")
    private int maxResponseSize = 16 * 1024 * 1024;
    @UriParam(defaultValue = "500000", description = "Most JSON values, keys and brackets in one answer: its tree takes up to"
            + " about 100 bytes of heap per token, whatever its size in bytes, so a larger answer is refused")
    private int maxJsonTokens = 500_000;

    @UriParam(label = "consumer", defaultValue = "true", description = "Poll getpeerinfo")
    private boolean peerInfo = true;
    @UriParam(label = "consumer", defaultValue = "true", description = "Poll getmempoolinfo")
    private boolean mempoolInfo = true;
    @UriParam(label = "consumer", defaultValue = "true", description = "Poll uptime")
    private boolean uptime = true;
    @UriParam(label = "consumer", defaultValue = "true", description = "Poll getnettotals")
    private boolean netTotals = true;
    @UriParam(label = "consumer", defaultValue = "true", description = "Poll getmemoryinfo")
    private boolean memoryInfo = true;
    @UriParam(label = "consumer", defaultValue = "true", description = "Poll getaddrmaninfo (Bitcoin Core 26 and later)")
    private boolean addrmanInfo = true;
    @UriParam(label = "consumer", description = "More methods to poll (comma-separated, no parameters); each answer is"
            + " published as an ext.rpc_result event")
    private String extraMethods;
    @UriParam(label = "consumer", defaultValue = "5m", javaType = "java.time.Duration",
              description = "Longest wait between attempts while the node fails (the wait doubles per failed round)")
    private Duration maxBackoff = Duration.ofMinutes(5);
    @UriParam(label = "consumer", defaultValue = "3",
              description = "Failed rounds in a row (of the node, or of one method) before the health check is DOWN")
    private int failuresBeforeDown = 3;

    @UriParam(label = "producer", description = "Method the producer calls (the bitcoinRpcMethod header overrides it)")
    private String method;

    BitcoinNetwork bitcoinNetwork() {
        return BitcoinNetwork.of(network, "BITCOIN_NETWORK");
    }

    int effectivePort() {
        return port == 0 ? bitcoinNetwork().rpcPort() : port;
    }

    /** {@code host:port}, with IPv6 literals in brackets: how the node is named in logs and the request URI. */
    String authority() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return h + ":" + effectivePort();
    }

    /** Cookie auth unless a user is configured, as bitcoin-cli does. */
    boolean usesCookie() {
        return user == null || user.isEmpty();
    }

    Path cookiePath() {
        if (cookieFile != null && !cookieFile.isBlank()) {
            return Path.of(cookieFile);
        }
        Path dir = dataDir != null && !dataDir.isBlank() ? Path.of(dataDir) : Path.of(System.getProperty("user.home"), ".bitcoin");
        String sub = bitcoinNetwork().dataSubdirectory();
        return (sub.isEmpty() ? dir : dir.resolve(sub)).resolve(".cookie");
    }

    /** The methods polled each round, in upstream's order, then the extra ones. */
    List<String> polledMethods() {
        List<String> methods = new ArrayList<>();
        if (peerInfo) {
            methods.add("getpeerinfo");
        }
        if (mempoolInfo) {
            methods.add("getmempoolinfo");
        }
        if (uptime) {
            methods.add("uptime");
        }
        if (netTotals) {
            methods.add("getnettotals");
        }
        if (memoryInfo) {
            methods.add("getmemoryinfo");
        }
        if (addrmanInfo) {
            methods.add("getaddrmaninfo");
        }
        if (extraMethods != null) {
            for (String m : extraMethods.split(",")) {
                if (!m.isBlank() && !methods.contains(m.trim())) {
                    methods.add(m.trim());
                }
            }
        }
        return methods;
    }

    /** Fails early, at route start, on settings that could never work. */
    void validate() {
        bitcoinNetwork();
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("bitcoin-rpc host is empty (setting RPC_HOST)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("bitcoin-rpc port " + port + " is out of range (setting RPC_PORT)");
        }
        if (usesCookie()) {
            // a missing cookie is bitcoind not started yet (polling waits for it); one that is there but
            // cannot be read never gets better by waiting
            Path cookie = cookiePath();
            if (Files.exists(cookie) && (!Files.isRegularFile(cookie) || !Files.isReadable(cookie))) {
                throw new IllegalArgumentException("the RPC cookie file " + cookie + " cannot be read"
                        + " (setting RPC_COOKIE_FILE, or BITCOIN_DATADIR and BITCOIN_NETWORK)");
            }
        }
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("bitcoin-rpc timeout must be at least 1ms, not " + DurationText.of(timeout)
                    + " (setting RPC_TIMEOUT)");
        }
        if (maxResponseSize <= 0) {
            throw new IllegalArgumentException("bitcoin-rpc maxResponseSize must be positive, not " + maxResponseSize);
        }
        if (maxJsonTokens <= 0) {
            throw new IllegalArgumentException("bitcoin-rpc maxJsonTokens must be positive, not " + maxJsonTokens
                    + " (setting RPC_MAX_JSON_TOKENS)");
        }
        if (failuresBeforeDown <= 0) {
            throw new IllegalArgumentException("bitcoin-rpc failuresBeforeDown must be at least 1, not " + failuresBeforeDown
                    + " (setting RPC_FAILURES_BEFORE_DOWN)");
        }
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public String getNetwork() {
        return network;
    }

    public void setNetwork(String network) {
        this.network = network;
    }

    public String getDataDir() {
        return dataDir;
    }

    public void setDataDir(String dataDir) {
        this.dataDir = dataDir;
    }

    public String getCookieFile() {
        return cookieFile;
    }

    public void setCookieFile(String cookieFile) {
        this.cookieFile = cookieFile;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public int getMaxResponseSize() {
        return maxResponseSize;
    }

    public void setMaxResponseSize(int maxResponseSize) {
        this.maxResponseSize = maxResponseSize;
    }

    public int getMaxJsonTokens() {
        return maxJsonTokens;
    }

    public void setMaxJsonTokens(int maxJsonTokens) {
        this.maxJsonTokens = maxJsonTokens;
    }

    public boolean isPeerInfo() {
        return peerInfo;
    }

    public void setPeerInfo(boolean peerInfo) {
        this.peerInfo = peerInfo;
    }

    public boolean isMempoolInfo() {
        return mempoolInfo;
    }

    public void setMempoolInfo(boolean mempoolInfo) {
        this.mempoolInfo = mempoolInfo;
    }

    public boolean isUptime() {
        return uptime;
    }

    public void setUptime(boolean uptime) {
        this.uptime = uptime;
    }

    public boolean isNetTotals() {
        return netTotals;
    }

    public void setNetTotals(boolean netTotals) {
        this.netTotals = netTotals;
    }

    public boolean isMemoryInfo() {
        return memoryInfo;
    }

    public void setMemoryInfo(boolean memoryInfo) {
        this.memoryInfo = memoryInfo;
    }

    public boolean isAddrmanInfo() {
        return addrmanInfo;
    }

    public void setAddrmanInfo(boolean addrmanInfo) {
        this.addrmanInfo = addrmanInfo;
    }

    public String getExtraMethods() {
        return extraMethods;
    }

    public void setExtraMethods(String extraMethods) {
        this.extraMethods = extraMethods;
    }

    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
    }

    public int getFailuresBeforeDown() {
        return failuresBeforeDown;
    }

    public void setFailuresBeforeDown(int failuresBeforeDown) {
        this.failuresBeforeDown = failuresBeforeDown;
    }

    public String getMethod() {
        return method;
    }

    public void setMethod(String method) {
        this.method = method;
    }
}
