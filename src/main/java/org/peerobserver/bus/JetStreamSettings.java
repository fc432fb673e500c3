package org.peerobserver.bus;

import java.io.IOException;
import java.time.Duration;

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
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

/**
 * The bus on a JetStream stream (BUS_NATS_JETSTREAM): publishers wait for the stream's acknowledgement,
 * and each tool route reads through its own durable consumer, so events survive a NATS restart (with
 * a store directory that survives it) and a tool that was away. The stream takes the subjects the
 * default subscription reads ({@code *}, {@code ext.*}); core NATS subscribers (upstream's tools)
 * still receive every event as before.
 */
record JetStreamSettings(String stream, String durablePrefix, long maxBytes, Duration ackWait) {

    /** The stream, created (file storage, oldest events dropped beyond maxBytes) when it is not there. */
    JetStream open(Connection c) throws IOException, JetStreamApiException {
        JetStreamManagement jsm = c.jetStreamManagement();
        try {
            jsm.getStreamInfo(stream);
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() != 404) {
                throw e;
            }
            jsm.addStream(StreamConfiguration.builder().name(stream).subjects("*", "ext.*").storageType(StorageType.File)
                    .maxBytes(maxBytes).discardPolicy(DiscardPolicy.Old).build());
        }
        return c.jetStream();
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
