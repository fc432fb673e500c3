package org.peerobserver.tool.websocket;

/** The websocket feed's counters in JMX ({@code org.peerobserver:type=tool,name=websocket}). */
public interface WebsocketFeedMBean {
    int getClients();

    long getClientsRefused();

    long getFramesQueued();

    long getFramesMissed();

    long getClientMessagesIgnored();
}
