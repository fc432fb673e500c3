package org.peerobserver.extractor.rpc;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The poller's figures in the application's metrics registry (Prometheus at /observe/metrics): answers
 * a limit refused, fields refused for their type or range, and failed rounds in a row. The label values
 * are method and field names of our own lists (or the operator's extra methods), never the node's words.
 * Removed again when the consumer stops, so a restarted route never reports through a stopped one.
 */
final class RpcMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    /** {@code registry} null: nothing is registered (no metrics in this context). */
    RpcMetrics(MeterRegistry registry, BitcoinRpcConsumer consumer) {
        this.registry = registry;
        if (registry != null) {
            meters.add(Gauge.builder("peerobserver_rpc_failed_rounds", consumer, BitcoinRpcConsumer::getFailuresInARow)
                    .description("rounds in a row in which the node or one method failed (health is DOWN from RPC_FAILURES_BEFORE_DOWN)")
                    .register(registry));
        }
    }

    void refusedAnswer(String method, String limit) {
        count("peerobserver_rpc_refused_answers", "answers refused by a limit (too_large: RPC_MAX_RESPONSE_SIZE;"
                + " too_complex: RPC_MAX_JSON_TOKENS or JSON nesting)", "method", method, "reason", limit);
    }

    void refusedField(String method, String field) {
        count("peerobserver_rpc_refused_fields", "fields of an answer refused (wrong JSON type, or a number outside its"
                + " field's range) and published as absent", "method", method, "field", field);
    }

    private void count(String name, String help, String... tags) {
        if (registry == null) {
            return;
        }
        Counter counter = Counter.builder(name).description(help).tags(tags).register(registry);
        synchronized (meters) {
            if (!meters.contains(counter)) {
                meters.add(counter);
            }
        }
        counter.increment();
    }

    @Override
    public void close() {
        if (registry != null) {
            synchronized (meters) {
                meters.forEach(registry::remove);
                meters.clear();
            }
        }
    }
}
