package org.peerobserver.extractor.p2p;

import java.util.Locale;

/** Whether we speak BIP324 v2: prefer it (and fall back to v1 like Bitcoin Core), require it, or disable it. */
enum V2Setting {
    PREFER, REQUIRE, DISABLE;

    static V2Setting of(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("v2Transport must be prefer, require or disable, not " + value);
        }
    }
}
