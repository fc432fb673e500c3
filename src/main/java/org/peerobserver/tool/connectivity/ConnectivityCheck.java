package org.peerobserver.tool.connectivity;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.peerobserver.bitcoin.Addresses;
import org.peerobserver.bitcoin.P2pHeaders;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.support.HostPort;
import org.peerobserver.support.SafeText;
import org.peerobserver.support.http.Exposition;
import org.peerobserver.support.http.HttpPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectivity checker's Java half; {@code routes/tools/connectivity-check.camel.yaml} is the other. It turns
 * addr/addrv2 events into {@link Candidate}s, dials each address once per cache window, paces the dials, keeps
 * upstream's one-hour success cache, and records each result in upstream's CSV and metrics.
 */
public class ConnectivityCheck implements AutoCloseable {
    /** Header naming how a candidate is checked: {@code cached}, {@code direct}, {@code tor} or {@code i2p}. */
    public static final String VIA = "connectivityVia";
    static final String CANDIDATE = "connectivityCandidate";
    /** Upstream treats exactly this many entries as an answer to our node's getaddr, not a gossip. */
    static final int GETADDR_ANSWER = 1000;
    /** Cache entries at most; beyond, expired ones are dropped first, then the whole cache. */
    static final int MAX_CACHE = 100_000;
    /** An address dialled (or about to be) until {@code until} (System.nanoTime), and whether it answered. */
    private record Seen(long until, boolean answered) {
        boolean current(long now) {
            return until - now > 0;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger("tool-connectivity-check");

    private final ConnectivityMetrics metrics = new ConnectivityMetrics();
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    /** The skip reasons already logged once; later skips are only counted. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Object pace = new Object();
    private long nextDial;

    private AddressPolicy policy = new AddressPolicy("");
    private String torProxy = "";
    private String i2pProxy = "";
    private double rate = 10;
    private long cacheSeconds = 3600;
    private Path csvDirectory = Path.of(".");
    private long csvMaxFileSize = 100L * 1024 * 1024;
    private int csvMaxFiles = 10;
    private String metricsAddress = "127.0.0.1:18282";
    private Set<String> torExits = Set.of();
    private ResultCsv csv;
    private HttpPort server;

    public ConnectivityCheck() {
        metrics.gauge("connectivitycheck_check_in_flight", "Handshakes in progress.", inFlight::get);
    }

    /**
     * The addresses worth checking in addr/addrv2 events as {@code bus:subscribe?batchSize=...} hands them over;
     * the others are counted by reason.
     */
    public List<Candidate> candidates(List<ReceivedEvent> events) {
        List<Candidate> out = new ArrayList<>();
        for (ReceivedEvent e : events) {
            out.addAll(candidates(e.event(), e.node(), null));
        }
        return out;
    }

    /** The same for one event from {@code node}; {@code peer}: the address of the connection it came on, where known. */
    List<Candidate> candidates(Event event, String node, String peer) {
        List<Address> entries;
        String version;
        String source;
        long sourceId;
        if (event.hasP2PExtractor() && event.getP2PExtractor().hasAddressAnnouncement()) {
            entries = event.getP2PExtractor().getAddressAnnouncement().getAddressesList();
            version = "addrv2";
            // the announcing node is the one that dialled our listener: its address where known, else its name
            source = peer != null ? peer : node == null ? "" : node;
            sourceId = 0;
        } else if (event.hasEbpfExtractor() && event.getEbpfExtractor().hasMessage()) {
            MessageEvent m = event.getEbpfExtractor().getMessage();
            if (!m.getMeta().getInbound() || !(m.hasAddr() || m.hasAddrv2())) {
                return List.of();
            }
            entries = m.hasAddr() ? m.getAddr().getAddressesList() : m.getAddrv2().getAddressesList();
            version = m.hasAddr() ? "addr" : "addrv2";
            source = m.getMeta().getAddr();
            sourceId = m.getMeta().getPeerId();
        } else {
            return List.of();
        }
        if (entries.size() == GETADDR_ANSWER) {
            LOG.debug("An {} message with 1000 addresses from {}: likely an answer to getaddr, not checked", version,
                    SafeText.of(source));
            metrics.skipped.add(GETADDR_ANSWER, "getaddr_answer");
            return List.of();
        }
        String sourceIp = HostPort.host(source);
        long received = event.getTimestamp() / 1000;
        List<Candidate> out = new ArrayList<>(entries.size());
        for (Address a : entries) {
            Candidate c = candidate(a, version, sourceIp, sourceId, received);
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    private Candidate candidate(Address a, String version, String sourceIp, long sourceId, long received) {
        String network;
        String display;
        String host;
        switch (a.getAddressCase()) {
            case IPV4, IPV6 -> {
                String text = a.hasIpv4() ? a.getIpv4() : a.getIpv6();
                network = a.hasIpv4() ? "IPv4" : "IPv6";
                display = network + "(" + text + ")";
                InetAddress ip = AddressPolicy.literal(text);
                if (ip == null) {
                    return skip("bad_address", display, a);
                }
                String refusal = policy.refusal(ip);
                if (refusal != null) {
                    return skip(refusal, display, a);
                }
                host = ip.getHostAddress();
            }
            case TORV3 -> {
                network = AddressPolicy.TOR;
                display = "TorV3(" + a.getTorv3() + ")";
                if (torProxy.isBlank()) {
                    return skip("no_proxy", display, a);
                }
                try {
                    host = AddressPolicy.onionName(a.getTorv3());
                } catch (IllegalArgumentException e) {
                    return skip("bad_address", display, a);
                }
            }
            case I2P -> {
                network = AddressPolicy.I2P;
                display = "I2p(" + a.getI2P() + ")";
                if (i2pProxy.isBlank()) {
                    return skip("no_proxy", display, a);
                }
                if (!AddressPolicy.isI2pName(a.getI2P())) {
                    return skip("bad_address", display, a);
                }
                host = a.getI2P();
            }
            default -> {
                return skip("unsupported_network", Addresses.network(a) + "(" + Addresses.text(a) + ")", a);
            }
        }
        // Bitcoin Core announces I2P addresses with port 0: I2P has no ports (the handshake producer dials 0 as the
        // network's default port, which an I2P destination accepts like any other)
        if ((a.getPort() == 0 && !network.equals(AddressPolicy.I2P)) || a.getPort() > 65535) {
            return skip("bad_port", display, a);
        }
        Candidate c = new Candidate(display, host, a.getPort(), a.getServices(), a.getTimestamp(), network, version, sourceIp,
                sourceId, received);
        // dialled once per cache window, however often (and in however many messages) it is announced; one that
        // answered goes on, to be reported from the cache as upstream does
        long now = System.nanoTime();
        Seen before = seen.get(c.cacheKey());
        if (before != null && before.current(now)) {
            return before.answered() ? c : skip("repeated", display, a);
        }
        remember(c.cacheKey(), new Seen(now + TimeUnit.SECONDS.toNanos(cacheSeconds), false));
        return c;
    }

    /** Counts a skipped address; the first of each reason is logged, so an operator sees why nothing is dialled. */
    private Candidate skip(String reason, String display, Address a) {
        metrics.skipped.inc(reason);
        if (reported.add(reason)) {
            LOG.info("Not dialling {} port {} ({}); further addresses skipped for this reason are only counted, in"
                    + " connectivitycheck_check_skipped", SafeText.of(display), a.getPort(), reason);
        }
        return null;
    }

    /** A candidate that did not fit in the queue: it was not dialled, so a later announcement may be. */
    public void overflow(Candidate c) {
        metrics.overflow.inc();
        seen.computeIfPresent(c.cacheKey(), (key, s) -> s.answered() ? s : null);
    }

    /**
     * Before a check: a cached success is not dialled again; otherwise wait for the global pace and say where to dial
     * (the {@link #VIA} header and the handshake producer's host and port headers).
     */
    public void prepare(Exchange exchange) throws InterruptedException {
        Candidate c = exchange.getIn().getBody(Candidate.class);
        exchange.setProperty(CANDIDATE, c);
        Seen s = seen.get(c.cacheKey());
        if (s != null && s.answered() && s.current(System.nanoTime())) {
            exchange.getIn().setHeader(VIA, "cached");
            return;
        }
        awaitTurn();
        metrics.dials.inc();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        exchange.getIn().setHeader(VIA, c.network().equals(AddressPolicy.TOR) ? "tor" : c.network().equals(AddressPolicy.I2P) ? "i2p" : "direct");
        exchange.getIn().setHeader(P2pHeaders.HOST, c.host());
        exchange.getIn().setHeader(P2pHeaders.PORT, c.port());
    }

    /** Spaces dials 1/rate apart, whichever thread dials: a burst can never become a flood. */
    private void awaitTurn() throws InterruptedException {
        long wait;
        synchronized (pace) {
            long now = System.nanoTime();
            long slot = Math.max(now, nextDial);
            nextDial = slot + (long) (1e9 / rate);
            wait = slot - now;
        }
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** After a check: upstream's metrics and CSV row, and the cache. The body is the handshake's answer. */
    public void record(Exchange exchange) {
        Candidate c = exchange.getProperty(CANDIDATE, Candidate.class);
        boolean cached = "cached".equals(exchange.getIn().getHeader(VIA));
        Map<?, ?> answer = cached ? Map.of() : exchange.getIn().getBody(Map.class);
        if (!cached) {
            inFlight.decrementAndGet();
        }
        boolean version = Boolean.TRUE.equals(answer.get("reachable"));
        boolean success = cached || version;
        if (version) {
            remember(c.cacheKey(), new Seen(System.nanoTime() + TimeUnit.SECONDS.toNanos(cacheSeconds), true));
        }
        String failure = success ? "" : String.valueOf(answer.get("failure"));
        if (!success) {
            LOG.debug("{} port {} from {}: {}", SafeText.of(c.display()), c.port(), SafeText.of(c.sourceIp()), failure);
        }
        boolean torExit = torExits.contains(c.sourceIp());
        // ours, after upstream's columns: v2 (BIP324), v1 (only), neither; empty for a cached result
        String transport = cached ? "" : String.valueOf(answer.get("transport"));
        if (!cached) {
            metrics.transport.inc(c.network(), transport);
        }
        metrics.tried.inc(c.network(), c.addrVersion());
        (success ? metrics.successful : metrics.unsuccessful).inc(c.network(), c.addrVersion(), c.sourceIp());
        if (cached) {
            metrics.cached.inc(c.network(), c.addrVersion());
        }
        // the message's arrival minus the address's own time: positive means the address's time lies in the past
        long offset = c.receivedSeconds() - c.addrTimestamp();
        metrics.offset.observe(Math.abs(offset), c.network(), c.addrVersion(), offset >= 0 ? "past" : "future", success ? "yes" : "no");
        if (torExit) {
            metrics.triedTorExit.inc(c.network(), c.addrVersion());
            if (success) {
                metrics.successfulTorExit.inc(c.network(), c.addrVersion());
            }
        }
        List<String> row = List.of(Long.toString(System.currentTimeMillis() / 1000), c.display(), Integer.toString(c.port()),
                Long.toUnsignedString(c.services()), Long.toString(c.receivedSeconds()), c.network(), c.addrVersion(), c.sourceIp(),
                Long.toUnsignedString(c.sourceId()), Boolean.toString(torExit), Boolean.toString(success), Boolean.toString(cached),
                Boolean.toString(version), version ? (String) answer.get("userAgent") : "", Boolean.toString(version && (Boolean) answer.get("relay")),
                version ? answer.get("protocolVersion").toString() : "0", version ? Long.toUnsignedString((Long) answer.get("services")) : "0",
                version ? answer.get("startHeight").toString() : "-1", version ? Long.toUnsignedString((Long) answer.get("nonce")) : "0",
                version ? answer.get("timestamp").toString() : "0", version ? (String) answer.get("senderAddress") : "",
                version ? answer.get("senderPort").toString() : "0", failure, transport);
        try {
            csv().write(row);
        } catch (IOException e) {
            metrics.skipped.inc("csv_error");   // ResultCsv logs when failing starts and ends
        }
    }

    /** Opened on the first result: the dial route may deliver one before the start route has run. */
    private synchronized ResultCsv csv() {
        if (csv == null) {
            csv = new ResultCsv(csvDirectory, csvMaxFileSize, csvMaxFiles);
        }
        return csv;
    }

    private void remember(String key, Seen entry) {
        if (seen.size() >= MAX_CACHE) {
            long now = System.nanoTime();
            seen.values().removeIf(s -> !s.current(now));
            if (seen.size() >= MAX_CACHE) {
                seen.clear();
            }
        }
        seen.put(key, entry);
    }

    /** Serves the metrics; the start route calls it, so nothing binds while the tool is off. */
    public synchronized void start(CamelContext context) throws IOException {
        if (server != null) {
            return;
        }
        InetSocketAddress bind = HostPort.parse(metricsAddress, "CONNECTIVITY_METRICS_ADDRESS");
        server = HttpPort.open(context, "connectivity-metrics", bind, null, Exposition.handler(metrics::exposition, null));
        LOG.info("Connectivity-check metrics on http://{}:{}/metrics; results in {}", bind.getHostString(), metricsPort(),
                csvDirectory.toAbsolutePath());
    }

    /** The metrics server's port (useful when configured as 0). */
    public int metricsPort() {
        return server.port();
    }

    @Override
    public synchronized void close() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
        if (csv != null) {
            csv.close();
        }
    }

    ConnectivityMetrics metrics() {
        return metrics;
    }

    /** The most handshakes that ran at once. */
    public int getMaxInFlight() {
        return maxInFlight.get();
    }

    public long getDials() {
        return metrics.dials.value();
    }

    public void setAllow(String allow) {
        policy = new AddressPolicy(allow);
    }

    public void setTorProxy(String torProxy) {
        this.torProxy = torProxy == null ? "" : torProxy;
    }

    public void setI2pProxy(String i2pProxy) {
        this.i2pProxy = i2pProxy == null ? "" : i2pProxy;
    }

    public void setRate(double rate) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("CONNECTIVITY_RATE must be positive (attempts per second), not " + rate);
        }
        this.rate = rate;
    }

    public void setCacheSeconds(long cacheSeconds) {
        if (cacheSeconds < 0) {
            throw new IllegalArgumentException("CONNECTIVITY_CACHE_SECONDS must be 0 or more, not " + cacheSeconds);
        }
        this.cacheSeconds = cacheSeconds;
    }

    public void setCsvDirectory(String csvDirectory) {
        this.csvDirectory = Path.of(csvDirectory);
    }

    public void setCsvMaxFileSize(long csvMaxFileSize) {
        if (csvMaxFileSize <= 0) {
            throw new IllegalArgumentException("CONNECTIVITY_CSV_MAX_FILE_SIZE must be positive, not " + csvMaxFileSize);
        }
        this.csvMaxFileSize = csvMaxFileSize;
    }

    public void setCsvMaxFiles(int csvMaxFiles) {
        if (csvMaxFiles < 1) {
            throw new IllegalArgumentException("CONNECTIVITY_CSV_MAX_FILES must be at least 1, not " + csvMaxFiles);
        }
        this.csvMaxFiles = csvMaxFiles;
    }

    public void setMetricsAddress(String metricsAddress) {
        this.metricsAddress = metricsAddress.trim();
    }

    /** Tor exit IPs, one a line (Tor's bulk exit list); announcements from them count in the *_tor_exit metrics. */
    public void setTorExitList(String file) throws IOException {
        if (file == null || file.isBlank()) {
            torExits = Set.of();
            return;
        }
        try (var lines = Files.lines(Path.of(file))) {
            torExits = lines.map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toUnmodifiableSet());
        }
    }
}
