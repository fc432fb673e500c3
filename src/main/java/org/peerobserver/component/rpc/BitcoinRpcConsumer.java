package org.peerobserver.component.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;
import org.peerobserver.event.EventExchanges;
import org.peerobserver.event.EventKind;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.Extension;
import org.peerobserver.proto.ext.RpcResult;
import org.peerobserver.proto.rpc.rpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each poll is one round: the enabled methods in upstream's order, one event per answer. A round with
 * any failure makes the node DOWN (the consumer health check reports the reason) and the next round
 * waits longer, doubling up to {@code maxBackoff}; the first fully answered round makes it UP again.
 * The log gets one line per change of state or of reason, never one per failed round.
 */
public class BitcoinRpcConsumer extends ScheduledPollConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(BitcoinRpcConsumer.class);

    private BitcoinRpcClient client;
    private List<Call> calls;
    private volatile long failedRounds;
    private volatile BitcoinRpcException lastFailure;
    private long nextAttemptNanos;
    private boolean answeredOnce;
    private String loggedReason;

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
        failedRounds = 0;
        lastFailure = null;
        answeredOnce = false;
        loggedReason = null;
        LOG.info("Polling Bitcoin Core RPC at {} every {} {}: {}", client.describe(), getDelay(),
                getTimeUnit().name().toLowerCase(Locale.ROOT), configuration.polledMethods());
        super.doStart();
    }

    @Override
    protected int poll() {
        if (failedRounds > 0 && System.nanoTime() - nextAttemptNanos < 0) {
            return 0;
        }
        int emitted = 0;
        BitcoinRpcException failure = null;
        for (Call call : calls) {
            if (!isRunAllowed()) {
                return emitted;
            }
            Event event;
            try {
                event = call.fetch(client);
            } catch (BitcoinRpcException e) {
                if (failure == null) {
                    failure = e;
                }
                if (e.isNodeUnavailable()) {
                    break;
                }
                continue;
            }
            EventExchanges.emit(this, event, EventKind.of(event), null);
            emitted++;
        }
        if (isRunAllowed()) {
            // a round cut short by shutdown says nothing about the node
            roundDone(failure);
        }
        return emitted;
    }

    private void roundDone(BitcoinRpcException failure) {
        if (failure == null) {
            if (failedRounds > 0) {
                LOG.info("Bitcoin Core RPC at {} answers again, after {} failed rounds", client.describe(), failedRounds);
            } else if (!answeredOnce) {
                LOG.info("Bitcoin Core RPC at {} answers", client.describe());
            }
            answeredOnce = true;
            failedRounds = 0;
            lastFailure = null;
            loggedReason = null;
            return;
        }
        lastFailure = failure;
        failedRounds++;
        long wait = backoffNanos(failedRounds);
        nextAttemptNanos = System.nanoTime() + wait;
        if (!failure.getMessage().equals(loggedReason)) {
            loggedReason = failure.getMessage();
            LOG.warn("Bitcoin Core RPC failing: {} (retrying, at most every {} s while it fails)", loggedReason,
                    getEndpoint().getConfiguration().getMaxBackoff());
        }
    }

    /** One interval after the first failed round, then twice as long per further failure, capped. */
    private long backoffNanos(long failures) {
        long interval = getTimeUnit().toNanos(getDelay());
        long cap = Math.max(interval, TimeUnit.SECONDS.toNanos(getEndpoint().getConfiguration().getMaxBackoff()));
        long wait = interval;
        for (long i = 1; i < failures && wait < cap; i++) {
            wait *= 2;
        }
        return Math.min(wait, cap);
    }

    /**
     * Consecutive failed rounds: the health check of a scheduled poll consumer is DOWN while this is above
     * zero. Failures never reach Camel's poll error handling (which logs a stack trace per poll), so the
     * count is ours.
     */
    @Override
    public long getErrorCounter() {
        return failedRounds;
    }

    /** The reason the health check shows while DOWN. */
    @Override
    protected Throwable getLastError() {
        return lastFailure;
    }

    private static Call call(String method) {
        switch (method) {
            case "getpeerinfo": return new Call(method, r -> rpcEvent(rpc.newBuilder().setPeerInfos(RpcEventMapper.peerInfos(r))));
            case "getmempoolinfo": return new Call(method, r -> rpcEvent(rpc.newBuilder().setMempoolInfo(RpcEventMapper.mempoolInfo(r))));
            case "uptime": return new Call(method, r -> rpcEvent(rpc.newBuilder().setUptime(RpcEventMapper.uptime(r))));
            case "getnettotals": return new Call(method, r -> rpcEvent(rpc.newBuilder().setNetTotals(RpcEventMapper.netTotals(r))));
            case "getmemoryinfo": return new Call(method, r -> rpcEvent(rpc.newBuilder().setMemoryInfo(RpcEventMapper.memoryInfo(r))));
            case "getaddrmaninfo": return new Call(method, r -> rpcEvent(rpc.newBuilder().setAddrmanInfo(RpcEventMapper.addrmanInfo(r))));
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

    private record Call(String method, Mapping mapping) {
        Event fetch(BitcoinRpcClient client) throws BitcoinRpcException {
            return mapping.toEvent(client.call(method, null));
        }
    }
}
