package org.peerobserver.extractor.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;
import org.peerobserver.event.EventExchanges;
import org.peerobserver.event.EventKind;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.Extension;
import org.peerobserver.proto.ext.RpcResult;
import org.peerobserver.proto.rpc.rpc;
import org.peerobserver.support.DurationText;
import org.peerobserver.support.RateLimitedLog;
import org.peerobserver.support.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each poll is one round: the enabled methods in upstream's order, one event per answer. While the node
 * cannot be used (down, too slow, refusing us) whole rounds wait longer; a method whose own answer is bad
 * (an RPC error, broken JSON, refused by a limit) waits longer on its own, and the others keep their
 * interval. Either way the consumer's health check is DOWN with the reason once failuresBeforeDown rounds
 * in a row have failed, until everything answers again, and the log gets one line per change of state or
 * of reason, never one per failed round. Nothing thrown in a round, an Error included, stops the polling.
 */
public class BitcoinRpcConsumer extends ScheduledPollConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(BitcoinRpcConsumer.class);

    private BitcoinRpcClient client;
    private RpcMetrics metrics;
    private RateLimitedLog refusedFields;
    private List<Call> calls;
    private Retry node;
    private long roundsWithFailures;
    private boolean answeredOnce;
    private String loggedReason;
    // read by the health check and the metrics, on other threads
    private volatile long failuresInARow;
    private volatile long errorCount;
    private volatile BitcoinRpcException currentFailure;

    BitcoinRpcConsumer(BitcoinRpcEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public BitcoinRpcEndpoint getEndpoint() {
        return (BitcoinRpcEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        BitcoinRpcConfiguration configuration = getEndpoint().getConfiguration();
        client = new BitcoinRpcClient(configuration);
        calls = new ArrayList<>();
        for (String method : configuration.polledMethods()) {
            calls.add(call(method));
        }
        node = new Retry();
        roundsWithFailures = 0;
        answeredOnce = false;
        loggedReason = null;
        failuresInARow = 0;
        errorCount = 0;
        currentFailure = null;
        refusedFields = new RateLimitedLog(LOG);
        metrics = new RpcMetrics(getEndpoint().getCamelContext().getRegistry().lookupByNameAndType("metricsRegistry",
                MeterRegistry.class), this);
        LOG.info("Polling Bitcoin Core RPC at {} every {}: {}", client.describe(), interval(), configuration.polledMethods());
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (metrics != null) {
            metrics.close();
        }
    }

    @Override
    protected int poll() {
        try {
            return round();
        } catch (Throwable e) {
            // a fault of ours or of the route, or the JVM short of memory: this round failed, the next one
            // comes (whatever escapes poll() would end Camel's schedule for good), with a new HTTP client in
            // case the fault broke the old one's threads
            try {
                LOG.debug("Unexpected failure in a round of RPC calls", e);
                client = new BitcoinRpcClient(getEndpoint().getConfiguration());
                node.failed(new BitcoinRpcException("a round of RPC calls failed unexpectedly: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + SafeText.of(e.getMessage())), false));
                roundDone();
            } catch (Throwable again) {
                // nothing more to do before the next round
            }
            return 0;
        }
    }

    private int round() {
        if (!node.due()) {
            return 0;
        }
        int emitted = 0;
        boolean nodeAnswered = true;
        boolean called = false;
        for (Call call : calls) {
            if (!isRunAllowed()) {
                return emitted;
            }
            if (!call.retry.due()) {
                continue;
            }
            called = true;
            Event event;
            try {
                event = call.fetch(client);
            } catch (BitcoinRpcException e) {
                if (e.getLimit() != null) {
                    metrics.refusedAnswer(call.method, e.getLimit());
                }
                if (e.isNodeUnavailable()) {
                    node.failed(e);
                    nodeAnswered = false;
                    break;
                }
                call.retry.failed(e);
                continue;
            }
            call.retry.succeeded();
            EventExchanges.emit(this, event, EventKind.of(event), null);
            emitted++;
        }
        // a round cut short by shutdown says nothing about the node, and one where every method waits is no round
        if (!called || !isRunAllowed()) {
            return emitted;
        }
        if (nodeAnswered) {
            node.succeeded();
        }
        roundDone();
        return emitted;
    }

    /** Publishes the state for the health check and logs it if it changed. */
    private void roundDone() {
        BitcoinRpcException failure = node.last;
        long count = node.failures;
        for (Call call : calls) {
            if (failure == null) {
                failure = call.retry.last;
            }
            count = Math.max(count, call.retry.failures);
        }
        currentFailure = failure;
        failuresInARow = count;
        errorCount = count >= getEndpoint().getConfiguration().getFailuresBeforeDown() ? count : 0;
        String reason = failure == null ? null : failure.getMessage();
        if (reason == null) {
            if (roundsWithFailures > 0) {
                LOG.info("Bitcoin Core RPC at {} answers again, after {} rounds with failures", client.describe(),
                        roundsWithFailures);
            } else if (!answeredOnce) {
                LOG.info("Bitcoin Core RPC at {} answers", client.describe());
            }
            answeredOnce = true;
            roundsWithFailures = 0;
        } else {
            roundsWithFailures++;
            if (!reason.equals(loggedReason)) {
                LOG.warn("Bitcoin Core RPC failing: {} (retrying, at most every {} while it fails)", reason,
                        DurationText.of(getEndpoint().getConfiguration().getMaxBackoff()));
            }
        }
        loggedReason = reason;
    }

    /** One interval after the first failure, then twice as long per further failure, capped. */
    private long backoffNanos(long failures) {
        long interval = getTimeUnit().toNanos(getDelay());
        long cap = Math.max(interval, getEndpoint().getConfiguration().getMaxBackoff().toNanos());
        long wait = interval;
        for (long i = 1; i < failures && wait < cap; i++) {
            wait *= 2;
        }
        return Math.min(wait, cap);
    }

    /** The polling interval as people say it: 20 seconds, 200 milliseconds. */
    private String interval() {
        long delay = getDelay();
        TimeUnit unit = getTimeUnit();
        if (unit == TimeUnit.MILLISECONDS && delay > 0 && delay % 1000 == 0) {
            delay /= 1000;
            unit = TimeUnit.SECONDS;
        }
        return delay + " " + unit.name().toLowerCase(Locale.ROOT);
    }

    /** A field the mapper refused: counted, and logged at most once a minute. */
    private void refused(String method, String field, String why) {
        metrics.refusedField(method, field);
        refusedFields.warn("Bitcoin Core RPC " + method + ": " + why + "; refused, left out of the event"
                + " (counted in peerobserver_rpc_refused_fields_total)");
    }

    /** Rounds in a row in which the node, or one method, failed. */
    long getFailuresInARow() {
        return failuresInARow;
    }

    /**
     * Consecutive failures (of the node, else of the worst method) once they reach failuresBeforeDown, else
     * 0: the health check of a scheduled poll consumer is DOWN while this is above zero. Failures never
     * reach Camel's poll error handling (which logs a stack trace per poll), so the count is ours.
     */
    @Override
    public long getErrorCounter() {
        return errorCount;
    }

    /** The reason the health check shows while DOWN. */
    @Override
    protected Throwable getLastError() {
        return currentFailure;
    }

    /** Consecutive failures of the node or of one method, and when to try again. Poll thread only. */
    private final class Retry {
        private long failures;
        private BitcoinRpcException last;
        private long nextAttemptNanos;

        boolean due() {
            return failures == 0 || System.nanoTime() - nextAttemptNanos >= 0;
        }

        void failed(BitcoinRpcException e) {
            failures++;
            last = e;
            nextAttemptNanos = System.nanoTime() + backoffNanos(failures);
        }

        void succeeded() {
            failures = 0;
            last = null;
        }
    }

    private Call call(String method) {
        switch (method) {
            case "getpeerinfo": return new Call(method, r -> rpcEvent(rpc.newBuilder().setPeerInfos(RpcEventMapper.peerInfos(r, this::refused))));
            case "getmempoolinfo": return new Call(method, r -> rpcEvent(rpc.newBuilder().setMempoolInfo(RpcEventMapper.mempoolInfo(r, this::refused))));
            case "uptime": return new Call(method, r -> rpcEvent(rpc.newBuilder().setUptime(RpcEventMapper.uptime(r, this::refused))));
            case "getnettotals": return new Call(method, r -> rpcEvent(rpc.newBuilder().setNetTotals(RpcEventMapper.netTotals(r, this::refused))));
            case "getmemoryinfo": return new Call(method, r -> rpcEvent(rpc.newBuilder().setMemoryInfo(RpcEventMapper.memoryInfo(r, this::refused))));
            case "getaddrmaninfo": return new Call(method, r -> rpcEvent(rpc.newBuilder().setAddrmanInfo(RpcEventMapper.addrmanInfo(r, this::refused))));
            default: return new Call(method, r -> rpcResultEvent(method, r));
        }
    }

    private static Event rpcEvent(rpc.Builder rpcEvent) {
        return Event.newBuilder().setTimestamp(System.currentTimeMillis()).setRpcExtractor(rpcEvent).build();
    }

    private static Event rpcResultEvent(String method, JsonNode result) throws BitcoinRpcException {
        String json;
        try {
            json = BitcoinRpcClient.JSON.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new BitcoinRpcException(method + ": cannot write the result as JSON: " + e.getOriginalMessage(), false);
        }
        return Event.newBuilder().setTimestamp(System.currentTimeMillis())
                .setExtension(Extension.newBuilder().setRpcResult(RpcResult.newBuilder().setMethod(method).setJson(json)))
                .build();
    }

    /** Turns a method's result into its event. */
    private interface Mapping {
        Event toEvent(JsonNode result) throws BitcoinRpcException;
    }

    /** One polled method, with its own backoff. */
    private final class Call {
        private final String method;
        private final Mapping mapping;
        private final Retry retry = new Retry();

        Call(String method, Mapping mapping) {
            this.method = method;
            this.mapping = mapping;
        }

        Event fetch(BitcoinRpcClient client) throws BitcoinRpcException {
            return mapping.toEvent(client.call(method, null));
        }
    }
}
