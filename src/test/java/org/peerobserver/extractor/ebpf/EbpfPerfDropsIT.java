package org.peerobserver.extractor.ebpf;

import java.util.Properties;

/** The flood in perf-buffer mode with one page per CPU: libbpf's lost samples feed the drop counter. */
class EbpfPerfDropsIT extends EbpfDropsIT {

    @Override
    protected Properties extraSettings() {
        Properties p = super.extraSettings();
        p.put("camel.component.bitcoin-ebpf.configuration.perf-buffer", "true");
        p.put("camel.component.bitcoin-ebpf.configuration.perf-buffer-pages", "1");
        return p;
    }
}
