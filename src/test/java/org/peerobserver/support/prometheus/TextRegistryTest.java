package org.peerobserver.support.prometheus;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The registry's choices where the tools' expositions differ: families at zero or once updated, other or dropped. */
class TextRegistryTest {
    private static String write(TextRegistry r) {
        StringBuilder out = new StringBuilder();
        r.write(out);
        return out.toString();
    }

    @Test
    void familiesWithoutLabelsShowZeroFromTheStartUnlessAskedToWait() {
        TextRegistry atZero = new TextRegistry("x_", false, 10, 1);
        atZero.counter("dials", "Dials.");
        atZero.counter("skipped", "Skipped.", "reason");
        assertEquals("# HELP x_dials Dials.\n# TYPE x_dials counter\nx_dials 0\n", write(atZero));

        TextRegistry waiting = new TextRegistry("x_", false, 10, 1).showOnceUpdated();
        Metric dials = waiting.counter("dials", "Dials.");
        assertEquals("", write(waiting));
        dials.inc(null);
        assertEquals("# HELP x_dials Dials.\n# TYPE x_dials counter\nx_dials 1\n", write(waiting));
    }

    @Test
    void pastTheCapNewCombinationsAreDroppedAndCountedWhenAsked() {
        TextRegistry r = new TextRegistry("", false, 2, 1).dropPastCap();
        Metric m = r.counter("seen", "Seen.", "ip");
        m.inc(null, "a");
        m.inc(null, "b");
        m.inc(null, "c");
        m.add(null, 5, "c");
        m.inc(null, "a");
        assertEquals("# HELP seen Seen.\n# TYPE seen counter\nseen{ip=\"a\"} 2\nseen{ip=\"b\"} 1\n", write(r));
        assertEquals(0, m.value(null, "c"));
        assertEquals(2, m.value(null, "a"));
        assertEquals(2, m.pastCap());
        assertEquals(2, r.pastCap());
    }

    @Test
    void sampledGaugesAreReadAtEachWriteAfterTheOtherFamilies() {
        TextRegistry r = new TextRegistry("", false, 10, 1).showOnceUpdated();
        AtomicInteger load = new AtomicInteger(3);
        r.sampledGauge("b_load", "Load.", load::get);
        r.sampledGauge("a_load", "Other load.", () -> 0.5);
        r.counter("z_total_things", "Things.").inc(null);
        String first = write(r);
        assertEquals("# HELP z_total_things Things.\n# TYPE z_total_things counter\nz_total_things 1\n"
                + "# HELP a_load Other load.\n# TYPE a_load gauge\na_load 0.5\n"
                + "# HELP b_load Load.\n# TYPE b_load gauge\nb_load 3\n", first);
        load.set(7);
        assertEquals(first.replace("b_load 3", "b_load 7"), write(r));
    }
}
