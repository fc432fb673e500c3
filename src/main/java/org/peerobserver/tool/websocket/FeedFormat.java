package org.peerobserver.tool.websocket;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.peerobserver.support.SafeText;

/** What a client's frames look like: ours (docs/websocket.md), or upstream peer-observer's for its pages. */
enum FeedFormat {
    /** {@link org.peerobserver.event.EventJson}: subject, kind, node, timestamp and the event in protobuf's JSON mapping. */
    PROTO_JSON("proto-json"),
    /** {@link UpstreamJson}: only upstream's events, as upstream's tool sends them; no notices of missed frames. */
    UPSTREAM("upstream");

    private final String name;

    FeedFormat(String name) {
        this.name = name;
    }

    /** {@code what} names the setting or parameter in the error. */
    static FeedFormat of(String text, String what) {
        String name = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(what + ": '" + SafeText.of(text, 40) + "' is not one of "
                        + Arrays.stream(values()).map(f -> f.name).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return name;
    }
}
