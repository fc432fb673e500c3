package org.peerobserver.component.ebpf;

import com.google.protobuf.ByteString;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.message.Unknown;

/**
 * The one place captured P2P payloads become the {@code msg} of a message event. Until the P2P codec
 * lands every payload is published raw, as {@code unknown{command, payload}}.
 */
final class P2pPayloads {
    private P2pPayloads() {
    }

    static MessageEvent decode(MessageEvent.Builder event, String command, ByteString payload) {
        return event.setUnknown(Unknown.newBuilder().setCommand(command).setPayload(payload)).build();
    }
}
