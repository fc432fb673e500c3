package org.peerobserver.tool.websocket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.NatsServer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** /address-flags.json answers which lists a host is on, from the metrics tool's IP lists, and refuses long questions. */
class AddressFlagsTest extends AppTestSupport {
    static int port;

    @Override
    protected Properties settings() {
        try {
            port = NatsServer.freePort();
            Path lists = Files.createTempDirectory("ip-lists");
            Files.writeString(lists.resolve("torbulkexitlist"), "# exits\n198.51.100.77\n2001:db8::77\n");
            Files.writeString(lists.resolve("gmaxbanlist.txt"), "198.51.100.77\n");
            return props("tools", "websocket", "websocket.address", "127.0.0.1:" + port, "metrics.ip-lists", lists.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> ask(String hosts) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/address-flags.json?hosts=" + hosts)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void hostsOnListsAreFlaggedOthersLeftOut() throws Exception {
        HttpResponse<String> answer = ask("198.51.100.77,2001:db8::77,162.218.65.9,203.0.113.1");
        assertEquals(200, answer.statusCode());
        assertEquals(Map.of("198.51.100.77", List.of("tor_exit", "gmax_ban"), "2001:db8::77", List.of("tor_exit"),
                "162.218.65.9", List.of("linkinglion")), new ObjectMapper().readValue(answer.body(), Map.class));
    }

    @Test
    void tooManyHostsAreRefused() throws Exception {
        String tooMany = IntStream.rangeClosed(0, WebsocketComponent.MAX_FLAG_HOSTS).mapToObj(i -> "10.0." + i / 256 + "." + i % 256)
                .collect(Collectors.joining(","));
        assertEquals(400, ask(tooMany).statusCode());
        assertEquals(400, ask("a".repeat(101)).statusCode());
        assertEquals("{}", ask("").body());
    }
}
