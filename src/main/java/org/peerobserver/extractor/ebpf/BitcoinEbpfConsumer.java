package org.peerobserver.extractor.ebpf;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.peerobserver.support.DurationText;
import org.peerobserver.support.RateLimitedLog;
import org.peerobserver.support.SourceHealthCheck;
import org.peerobserver.event.EventExchanges;
import org.peerobserver.event.ReceivedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the BPF programs on start (failing the route with a one-line reason when it cannot), then on
 * one dedicated thread: attaches to bitcoind, polls the ring buffers, decodes each record into an event
 * and hands the route batches of up to {@code batchSize} events (one exchange per event costs more than
 * decoding it), a batch whenever it is full or a poll found no more. The same thread re-attaches when
 * bitcoind restarts (to the same node only, see {@link BitcoindProcess}), reports new drops and warns
 * when nothing arrives. Its health check is DOWN, with the reason, while no probe is attached.
 */
@ManagedResource(description = "Bitcoin Core USDT tracepoints through eBPF")
public class BitcoinEbpfConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(BitcoinEbpfConsumer.class);
    private static final int POLL_TIMEOUT_MS = 100;
    private static final int EINTR = 4;
    /**
     * Longest a record waits in the ring buffer once the consumer has caught up: 2 ms rather than 1 took about
     * a tenth off a FIBRE flood's CPU (half the polls, exchanges and wake-ups of the subscriber).
     */
    private static final int GATHER_MS = 2;

    private final RateLimitedLog badRecords = new RateLimitedLog(LOG);
    private final AtomicLongArray events = new AtomicLongArray(Tracepoint.Group.values().length);
    private final Set<Tracepoint> tracepoints;
    private final BitcoindProcess process;
    private volatile BpfProbes probes;
    private ExecutorService executor;
    private EbpfMetrics metrics;
    private volatile int attachedPid;
    /** Start time of the attached process: a PID reused by another process is not the one attached to. */
    private long attachedStart;
    /** Why no probe is attached now (read by the health check), or null while one is. */
    private volatile String notAttached = "not attached yet";
    private volatile long malformed;
    private volatile long lastEventNanos = System.nanoTime();
    private final int batchSize;
    private List<ReceivedEvent> batch;
    /** Timestamp of the events of the current batch: the clock is read once per batch, not per record. */
    private long batchMillis;

    BitcoinEbpfConsumer(BitcoinEbpfEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        BitcoinEbpfConfiguration configuration = endpoint.getConfiguration();
        tracepoints = configuration.tracepoints();
        process = new BitcoindProcess(endpoint.getBinary(), configuration.getPid(), configuration.getPidFile());
        batchSize = configuration.getBatchSize();
        batch = new ArrayList<>(batchSize);
        SourceHealthCheck.install(this, () -> notAttached);
    }

    @Override
    public BitcoinEbpfEndpoint getEndpoint() {
        return (BitcoinEbpfEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        notAttached = "not attached yet";
        try {
            BitcoinEbpfConfiguration c = getEndpoint().getConfiguration();
            probes = new BpfProbes(c.getRingBufferSize(), c.isPerfBuffer() ? c.getPerfBufferPages() : 0, c.isBccCompatible(),
                    this::record);
        } catch (IllegalStateException e) {
            throw new EbpfStartException("bitcoin-ebpf cannot start: " + e.getMessage());
        }
        MeterRegistry registry = getEndpoint().getCamelContext().getRegistry().lookupByNameAndType("metricsRegistry",
                MeterRegistry.class);
        metrics = registry == null ? null : new EbpfMetrics(registry, this);
        executor = getEndpoint().getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, "bitcoin-ebpf");
        executor.submit(this::run);
    }

    @Override
    protected void doStop() throws Exception {
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
        boolean stopped = true;
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(executor);
            stopped = getEndpoint().getCamelContext().getExecutorServiceManager().awaitTermination(executor, 5000);
            executor = null;
        }
        BpfProbes p = probes;
        if (p != null) {
            LOG.info("bitcoin-ebpf stopped: events {}, dropped {}, malformed records {}", getEvents(), p.drops(), malformed);
            probes = null;
            if (stopped) {
                p.close();
            } else {
                // freeing buffers the poll thread still reads would crash the JVM: that thread closes them as it ends
                LOG.warn("bitcoin-ebpf: the poll thread did not end within 5 s; it releases the probes when it does");
            }
        }
        super.doStop();
    }

    private void run() {
        BpfProbes p = probes;
        long interval = getEndpoint().getConfiguration().getReattachInterval().toNanos();
        long nextCheck = System.nanoTime();
        Map<String, Long> drops = p.drops();
        boolean idleWarned = false;
        String missingSaid = null;
        // idle from now, not from when the endpoint was made (a slow start would warn at once)
        lastEventNanos = nextCheck;
        try {
            while (isRunAllowed() && !Thread.currentThread().isInterrupted()) {
                long now = System.nanoTime();
                if (now - nextCheck >= 0) {
                    nextCheck = now + interval;
                    missingSaid = attach(p, missingSaid);
                    drops = reportDrops(p, drops);
                    idleWarned = warnIdle(now, idleWarned);
                }
                int n = p.poll(POLL_TIMEOUT_MS);
                flush();
                if (n > 0 && n < batchSize) {
                    // caught up: the kernel would wake us for every next record; let a batch gather instead
                    Thread.sleep(GATHER_MS);
                }
                if (n < 0 && n != -EINTR) {
                    badRecords.warn("bitcoin-ebpf: polling the ring buffers failed with errno " + -n);
                    Thread.sleep(POLL_TIMEOUT_MS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // an Error too (OutOfMemoryError): the executor would swallow it, and the probes would go quiet unsaid
            LOG.error("bitcoin-ebpf stopped polling after an unexpected error", e);
            notAttached = "stopped polling after an unexpected error: " + e;
        } finally {
            attachedPid = 0;
            if (isStoppingOrStopped()) {
                p.close();
            } else {
                p.detach();
            }
        }
    }

    /**
     * Keeps the probes attached to the running bitcoind, and the health check told; returns why none is
     * attached as last logged (so a reason is logged once, not every check), null while attached.
     */
    private String attach(BpfProbes p, String missingSaid) {
        int current = attachedPid;
        if (current != 0 && process.stillRuns(current, attachedStart)) {
            return null;
        }
        if (current != 0) {
            p.detach();
            attachedPid = 0;
            notAttached = "bitcoind PID " + current + " is gone";
            LOG.info("bitcoind (PID {}) is gone; attaching again when it runs again", current);
        }
        BitcoindProcess.Found found = process.find();
        if (found.pid() == 0) {
            notAttached = found.why();
            if (!found.why().equals(missingSaid)) {
                LOG.warn("bitcoin-ebpf not attached: {}; looking again every {}", found.why(),
                        DurationText.of(getEndpoint().getConfiguration().getReattachInterval()));
            }
            return found.why();
        }
        int pid = found.pid();
        if (found.others() > 0) {
            LOG.warn("{} more processes run {}: attached to the first, PID {}, and from now on only to that node;"
                    + " set BITCOIND_PID_FILE to choose", found.others(), process.binary(), pid);
        }
        attachedStart = BitcoindProcess.startTime(pid);
        Map<Tracepoint, String> failed = p.attach(pid, process.binary().toString(), tracepoints);
        attachedPid = pid;
        process.attached(pid);
        failed.forEach((t, why) -> LOG.warn("Tracepoint {} not attached to {}: {}", t, process.binary(), why));
        LOG.info("Attached {} of {} tracepoints to bitcoind PID {}", p.attached(), tracepoints.size(), pid);
        notAttached = p.attached() > 0 ? null
                : "no tracepoint attached to bitcoind PID " + pid + failed.values().stream().findFirst().map(w -> ": " + w).orElse("");
        return null;
    }

    private static Map<String, Long> reportDrops(BpfProbes p, Map<String, Long> before) {
        Map<String, Long> now = p.drops();
        String grown = now.entrySet().stream().filter(e -> e.getValue() > before.getOrDefault(e.getKey(), 0L))
                .map(e -> e.getKey() + " +" + (e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .collect(Collectors.joining(", "));
        if (!grown.isEmpty()) {
            LOG.warn("bitcoin-ebpf dropped records (ring buffer full, or message over 4 MiB): {}", grown);
        }
        return now;
    }

    private boolean warnIdle(long now, boolean warned) {
        Duration idle = getEndpoint().getConfiguration().getIdleWarning();
        boolean isIdle = !idle.isZero() && now - lastEventNanos > idle.toNanos();
        if (isIdle && !warned) {
            LOG.warn("bitcoin-ebpf: no events for {} (is bitcoind running and busy?)", DurationText.of(idle));
        }
        return isIdle;
    }

    /** One record, on the poll thread. */
    private void record(ByteBuffer record) {
        try {
            Tracepoint t = Records.tracepoint(record);
            if (t == null) {
                throw new Records.BadRecordException("unknown record kind " + record.getInt(0));
            }
            if (batch.isEmpty()) {
                batchMillis = System.currentTimeMillis();
            }
            batch.add(ReceivedEvent.fromSource(Records.decode(t, record, batchMillis), record.remaining()));
            events.lazySet(t.group.ordinal(), events.get(t.group.ordinal()) + 1);
            if (batch.size() >= batchSize) {
                flush();
            }
        } catch (RuntimeException e) {
            malformed++;
            badRecords.warn("bitcoin-ebpf: skipped a malformed record: " + e.getMessage());
        }
    }

    /** Hands the decoded events to the route: as they are with batchSize 1, else as one list. */
    private void flush() {
        if (batch.isEmpty()) {
            return;
        }
        lastEventNanos = System.nanoTime();
        List<ReceivedEvent> full = batch;
        batch = new ArrayList<>(batchSize);
        EventExchanges.emitFromSource(this, full, batchSize);
    }

    /** Start failure with a reason that says it all: no stack trace. */
    static final class EbpfStartException extends RuntimeException {
        EbpfStartException(String message) {
            super(message, null, false, false);
        }
    }

    @ManagedAttribute(description = "PID of the bitcoind the probes are attached to (0: none)")
    public int getAttachedPid() {
        return attachedPid;
    }

    @ManagedAttribute(description = "Tracepoints attached")
    public int getAttachedProbes() {
        BpfProbes p = probes;
        return p == null || attachedPid == 0 ? 0 : p.attached();
    }

    @ManagedAttribute(description = "Events emitted per tracepoint group")
    public String getEvents() {
        StringBuilder s = new StringBuilder();
        for (Tracepoint.Group g : Tracepoint.Group.values()) {
            s.append(s.length() == 0 ? "" : ", ").append(g.name().toLowerCase()).append('=').append(events.get(g.ordinal()));
        }
        return s.toString();
    }

    long events(Tracepoint.Group group) {
        return events.get(group.ordinal());
    }

    /** Records dropped in drop counter {@code slot} (see {@link BpfProbes#drops(int)}). */
    long drops(int slot) {
        BpfProbes p = probes;
        return p == null ? 0 : p.drops(slot);
    }

    @ManagedAttribute(description = "Events emitted in all")
    public long getEventsTotal() {
        long total = 0;
        for (int i = 0; i < events.length(); i++) {
            total += events.get(i);
        }
        return total;
    }

    /** Records dropped per ring buffer, and messages too large to capture. */
    public Map<String, Long> drops() {
        BpfProbes p = probes;
        return p == null ? Map.of() : p.drops();
    }

    @ManagedAttribute(description = "Records dropped per ring buffer (full), and messages over 4 MiB")
    public String getDrops() {
        return drops().toString();
    }

    @ManagedAttribute(description = "Records dropped in all")
    public long getDropsTotal() {
        return drops().values().stream().mapToLong(Long::longValue).sum();
    }

    @ManagedAttribute(description = "Records that did not match their layout, skipped")
    public long getMalformedRecords() {
        return malformed;
    }
}
