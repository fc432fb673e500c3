package org.peerobserver.tool.alerts;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.Alert;
import org.peerobserver.testing.AppTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Alertmanager's webhook JSON, POSTed to the receiver route as Alertmanager posts it, becomes ext.alert events; a wrong token does not. */
class AlertmanagerReceiverTest extends AppTestSupport {
    private static final String BODY = """
            {"version":"4","status":"firing","receiver":"peer-observer","alerts":[
             {"status":"firing","labels":{"alertname":"PeerObserverNoNewBlock","severity":"critical","node":"alice"},
              "annotations":{"summary":"node alice connected no block in the last hour"}},
             {"status":"resolved","labels":{"alertname":"PeerObserverMetricsDown","severity":"critical","instance":"metrics:8282"},
              "annotations":{"summary":"gone"}}]}""";

    @Override
    protected Properties settings() {
        return props("tools", "alerts", "alerts.receiver-address", "127.0.0.1:0", "alerts.receiver-token", "t0ken");
    }

    private int post(String token) throws Exception {
        int port = context.getRegistry().lookupByNameAndType("alertReceiver", AlertmanagerReceiver.class).port();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/alertmanager"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void firingAlertsBecomeExtAlertEventsAndAWrongTokenIsRefused() throws Exception {
        consumer.start();
        // subscribes before the POST
        assertEquals(null, consumer.receiveBody("bus:subscribe?subjects=ext.alert", 100, Event.class));
        assertEquals(401, post("wrong"));
        assertEquals(200, post("t0ken"));
        Event e = consumer.receiveBody("bus:subscribe?subjects=ext.alert", 10_000, Event.class);
        Alert a = e.getExtension().getAlert();
        assertEquals("PeerObserverNoNewBlock", a.getName());
        assertEquals("critical", a.getSeverity());
        assertEquals("alice", a.getNode());
        assertEquals("node alice connected no block in the last hour", a.getSummary());
        assertEquals(null, consumer.receiveBody("bus:subscribe?subjects=ext.alert", 1_000, Event.class), "resolved alerts are not sent on");
    }
}
