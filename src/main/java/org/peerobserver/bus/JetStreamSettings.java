package org.peerobserver.bus;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.MessageHandler;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.External;
import io.nats.client.api.Source;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;

/**
 * The bus on a JetStream stream (BUS_NATS_JETSTREAM): publishers wait for the stream's acknowledgement
 * (or, at a site, publish on core NATS to a leaf node whose stream stores them), and each tool route reads
 * through its own durable consumer, so events survive a NATS restart (with a store directory that
 * survives it) and a tool that was away. The stream takes the subjects the default subscription reads
 * ({@code *}, {@code ext.*}); core NATS subscribers (upstream's tools) still receive every event as before.
 *
 * <p>On a hub ({@code sites} given) the stream takes no subjects: it sources the stream of the same name
 * from each site's JetStream domain, across the leaf node connection. A site's stream holds what its
 * extractor published while the link was down, and the hub fetches it when the link returns.
 */
record JetStreamSettings(String stream, String durablePrefix, long maxBytes, Duration ackWait, boolean awaitAck, Duration maxAge,
        int replicas, List<String> sites) {

    /** The stream, created when it is not there; on a hub, its list of sites is brought up to date. */
    JetStream open(Connection c) throws IOException, JetStreamApiException {
        JetStreamManagement jsm = c.jetStreamManagement();
        StreamInfo existing;
        try {
            existing = jsm.getStreamInfo(stream);
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() != 404) {
                throw e;
            }
            jsm.addStream(configuration(StreamConfiguration.builder()).build());
            return c.jetStream();
        }
        if (!sites.isEmpty() && !sourcedDomains(existing.getConfiguration()).equals(Set.copyOf(sites))) {
            jsm.updateStream(configuration(StreamConfiguration.builder(existing.getConfiguration())).build());
        }
        return c.jetStream();
    }

    private StreamConfiguration.Builder configuration(StreamConfiguration.Builder b) {
        b.name(stream).storageType(StorageType.File).maxBytes(maxBytes).maxAge(maxAge).replicas(replicas)
                .discardPolicy(DiscardPolicy.Old);
        if (sites.isEmpty()) {
            return b.subjects("*", "ext.*");
        }
        return b.subjects(List.of()).sources(sites.stream()
                .map(site -> Source.builder().name(stream).external(External.builder().api(api(site)).build()).build())
                .toList());
    }

    private static String api(String domain) {
        return "$JS." + domain + ".API";
    }

    private static Set<String> sourcedDomains(StreamConfiguration config) {
        return config.getSources().stream().filter(s -> s.getExternal() != null).map(s -> s.getExternal().getApi())
                .filter(a -> a.startsWith("$JS.") && a.endsWith(".API")).map(a -> a.substring("$JS.".length(), a.length() - ".API".length())).collect(Collectors.toSet());
    }

    /** A push subscription on the durable consumer of one route: it resumes where that route left off. */
    void subscribe(JetStream js, Dispatcher dispatcher, String route, MessageHandler handler)
            throws IOException, JetStreamApiException {
        // durable names allow neither dots nor wildcards nor spaces
        String durable = (durablePrefix + "_" + route).replaceAll("[^A-Za-z0-9_-]", "_");
        ConsumerConfiguration consumer = ConsumerConfiguration.builder().durable(durable).ackPolicy(AckPolicy.Explicit)
                .ackWait(ackWait).build();
        js.subscribe(null, dispatcher, handler, true,
                PushSubscribeOptions.builder().stream(stream).configuration(consumer).build());
    }
}
