package org.peerobserver.extractor.ebpf;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.peerobserver.support.EndpointDefaults;

/**
 * Options of {@code bitcoin-ebpf:}. The component holds one instance, set once from application.properties
 * ({@code camel.component.bitcoin-ebpf.configuration.*}); each endpoint gets a copy and may override
 * options in its URI.
 */
@UriParams
@Configurer
public class BitcoinEbpfConfiguration extends EndpointDefaults<BitcoinEbpfConfiguration> {

    /** Largest ring buffer: its data area, mapped twice, must fit one ByteBuffer. */
    static final int MAX_RING = 1 << 29;

    @UriParam(description = "PID of bitcoind; 0: from pidFile, else the first process running the binary (after a"
            + " restart, only a process with that node's arguments and user)")
    private int pid;
    @UriParam(description = "bitcoind's pid file (-pid), read again whenever bitcoind restarts; when set, only its PID is taken")
    private String pidFile;
    @UriParam(defaultValue = "true", description = "net:inbound_message and net:outbound_message")
    private boolean messages = true;
    @UriParam(defaultValue = "true", description = "net:*_connection tracepoints")
    private boolean connections = true;
    @UriParam(defaultValue = "true", description = "mempool:* tracepoints")
    private boolean mempool = true;
    @UriParam(defaultValue = "true", description = "validation:block_connected")
    private boolean validation = true;
    @UriParam(defaultValue = "true", description = "utxocache:flush (published on ext.utxocache_flush)")
    private boolean utxocache = true;
    @UriParam(defaultValue = "false", description = "addrman:attempt_add and addrman:move_to_good (a patched Bitcoin Core only)")
    private boolean addrman;
    @UriParam(defaultValue = "false", description = "FIBRE's udp:* tracepoints (published on ext.fibre)")
    private boolean fibre;
    @UriParam(label = "advanced", defaultValue = "0", description = "Size of every ring buffer in bytes (a power of two from"
            + " 4096 to 512 MiB); 0: built-in sizes (64 KiB to 32 MiB, 16 MiB for small messages and FIBRE)")
    private int ringBufferSize;
    @UriParam(label = "advanced", defaultValue = "false", description = "Per-CPU perf buffers instead of ring buffers"
            + " (kernels before 5.8); messages over 32 KiB are then not captured")
    private boolean perfBuffer;
    @UriParam(label = "advanced", defaultValue = "64", description = "Pages per CPU of each perf buffer (a power of two)")
    private int perfBufferPages = 64;
    @UriParam(label = "advanced", defaultValue = "false", description = "Register every USDT probe as Debian 12's BCC"
            + " does and keep the semaphores in bitcoind's memory, so a BCC tool can attach after this one (beside a"
            + " tracer attached before, probes are attached this way by themselves)")
    private boolean bccCompatible;
    @UriParam(defaultValue = "500", description = "Most events per exchange: above 1 the body is a List of Events"
            + " (bus:publish publishes each on its own subject); 1: one Event per exchange, with the event headers")
    private int batchSize = 500;
    @UriParam(defaultValue = "2s", javaType = "java.time.Duration",
              description = "How often to check that bitcoind still runs, and re-attach if it restarted")
    private Duration reattachInterval = Duration.ofSeconds(2);
    @UriParam(defaultValue = "60s", javaType = "java.time.Duration",
              description = "Warn when no event arrived for this long (0: never); the extractor never exits when idle")
    private Duration idleWarning = Duration.ofSeconds(60);

    /** Fails early, at route start, on settings that could never work. */
    void validate() {
        if (ringBufferSize != 0 && (ringBufferSize < 4096 || ringBufferSize > MAX_RING || Integer.bitCount(ringBufferSize) != 1)) {
            throw new IllegalArgumentException("bitcoin-ebpf ringBufferSize must be 0 or a power of two from 4096 to 512 MiB, not "
                    + ringBufferSize);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("bitcoin-ebpf batchSize must be at least 1, not " + batchSize);
        }
        if (perfBufferPages < 1 || Integer.bitCount(perfBufferPages) != 1) {
            throw new IllegalArgumentException("bitcoin-ebpf perfBufferPages must be a power of two, not " + perfBufferPages);
        }
        if (reattachInterval.toMillis() < 1 || idleWarning.isNegative()) {
            throw new IllegalArgumentException("bitcoin-ebpf reattachInterval must be at least 1ms and idleWarning at least 0");
        }
    }

    /** The tracepoints of the enabled groups. */
    Set<Tracepoint> tracepoints() {
        Set<Tracepoint.Group> groups = EnumSet.noneOf(Tracepoint.Group.class);
        if (messages) {
            groups.add(Tracepoint.Group.MESSAGES);
        }
        if (connections) {
            groups.add(Tracepoint.Group.CONNECTIONS);
        }
        if (mempool) {
            groups.add(Tracepoint.Group.MEMPOOL);
        }
        if (validation) {
            groups.add(Tracepoint.Group.VALIDATION);
        }
        if (utxocache) {
            groups.add(Tracepoint.Group.UTXOCACHE);
        }
        if (addrman) {
            groups.add(Tracepoint.Group.ADDRMAN);
        }
        if (fibre) {
            groups.add(Tracepoint.Group.FIBRE);
        }
        Set<Tracepoint> tracepoints = EnumSet.noneOf(Tracepoint.class);
        for (Tracepoint t : Tracepoint.values()) {
            if (groups.contains(t.group)) {
                tracepoints.add(t);
            }
        }
        return tracepoints;
    }

    public boolean isBccCompatible() {
        return bccCompatible;
    }

    public void setBccCompatible(boolean bccCompatible) {
        this.bccCompatible = bccCompatible;
    }

    public int getPid() {
        return pid;
    }

    public void setPid(int pid) {
        this.pid = pid;
    }

    public String getPidFile() {
        return pidFile;
    }

    public void setPidFile(String pidFile) {
        this.pidFile = pidFile;
    }

    public boolean isMessages() {
        return messages;
    }

    public void setMessages(boolean messages) {
        this.messages = messages;
    }

    public boolean isConnections() {
        return connections;
    }

    public void setConnections(boolean connections) {
        this.connections = connections;
    }

    public boolean isMempool() {
        return mempool;
    }

    public void setMempool(boolean mempool) {
        this.mempool = mempool;
    }

    public boolean isValidation() {
        return validation;
    }

    public void setValidation(boolean validation) {
        this.validation = validation;
    }

    public boolean isUtxocache() {
        return utxocache;
    }

    public void setUtxocache(boolean utxocache) {
        this.utxocache = utxocache;
    }

    public boolean isAddrman() {
        return addrman;
    }

    public void setAddrman(boolean addrman) {
        this.addrman = addrman;
    }

    public boolean isFibre() {
        return fibre;
    }

    public void setFibre(boolean fibre) {
        this.fibre = fibre;
    }

    public int getRingBufferSize() {
        return ringBufferSize;
    }

    public void setRingBufferSize(int ringBufferSize) {
        this.ringBufferSize = ringBufferSize;
    }

    public boolean isPerfBuffer() {
        return perfBuffer;
    }

    public void setPerfBuffer(boolean perfBuffer) {
        this.perfBuffer = perfBuffer;
    }

    public int getPerfBufferPages() {
        return perfBufferPages;
    }

    public void setPerfBufferPages(int perfBufferPages) {
        this.perfBufferPages = perfBufferPages;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public Duration getReattachInterval() {
        return reattachInterval;
    }

    public void setReattachInterval(Duration reattachInterval) {
        this.reattachInterval = reattachInterval;
    }

    public Duration getIdleWarning() {
        return idleWarning;
    }

    public void setIdleWarning(Duration idleWarning) {
        this.idleWarning = idleWarning;
    }

}
