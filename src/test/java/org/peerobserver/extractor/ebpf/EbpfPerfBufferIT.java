package org.peerobserver.extractor.ebpf;

import java.util.Properties;

/**
 * The same tracepoints and restart, in perf-buffer mode: messages over 32 KiB are counted, not captured.
 * Also one event per exchange (batchSize 1), the route's other shape.
 */
class EbpfPerfBufferIT extends EbpfExtractorIT {

    @Override
    protected Properties extraSettings() {
        Properties p = super.extraSettings();
        p.put("camel.component.bitcoin-ebpf.configuration.perf-buffer", "true");
        p.put("camel.component.bitcoin-ebpf.configuration.batch-size", "1");
        return p;
    }

    @Override
    protected long maxCapturedPayload() {
        return 32768 - Records.MSG_PAYLOAD_OFFSET;
    }
}
