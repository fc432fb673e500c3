package org.peerobserver.extractor.ebpf;

import com.google.protobuf.UnsafeByteOperations;
import org.peerobserver.bitcoin.P2pCodecException;
import org.peerobserver.bitcoin.PayloadDecoder;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.message.Unknown;

/**
 * The one place captured P2P payloads become the {@code msg} of a message event: decoded by the P2P
 * codec as upstream's extractor does. Where upstream publishes nothing for a payload it cannot decode,
 * we publish it raw as {@code unknown{command, payload}}, so no message the node saw goes missing.
 */
final class P2pPayloads {
    private P2pPayloads() {
    }

    /** {@code payload} must be a copy of the captured bytes: kept by the event when it is published raw. */
    static MessageEvent decode(MessageEvent.Builder event, String command, byte[] payload) {
        try {
            PayloadDecoder.decode(command, payload, event);
        } catch (P2pCodecException e) {
            event.setUnknown(Unknown.newBuilder().setCommand(command).setPayload(UnsafeByteOperations.unsafeWrap(payload)));
        }
        return event.build();
    }
}
