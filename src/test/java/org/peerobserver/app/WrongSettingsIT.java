package org.peerobserver.app;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peerobserver.testing.AppProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Settings that can never work, given as environment variables: the process ends with status 2 and one
 * sentence that names the setting to fix and, where it has a kind, what it accepts, without a stack trace dump.
 */
class WrongSettingsIT {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown extractor type   | EXTRACTOR_TYPE=rpc,bogus                              | EXTRACTOR_TYPE | replay, ebpf, rpc
            unknown tool             | EXTRACTOR_TYPE=none TOOLS=logger,metrix               | TOOLS          | logger, metrics
            port out of range        | EXTRACTOR_TYPE=p2p P2P_EXTRACTOR_PORT=70000           | P2P_EXTRACTOR_PORT | 0 to 65535
            port not a number        | EXTRACTOR_TYPE=rpc RPC_PORT=eighty                    | RPC_PORT       | 0 to 65535
            management port a word   | EXTRACTOR_TYPE=none MANAGEMENT_PORT=abc               | MANAGEMENT_PORT | 0 to 65535
            management port negative | EXTRACTOR_TYPE=none MANAGEMENT_PORT=-1                | MANAGEMENT_PORT | 0 to 65535
            unknown log level        | EXTRACTOR_TYPE=none LOG_LEVEL=verbose                 | LOG_LEVEL      | trace, debug, info, warn, error
            unknown bus              | EXTRACTOR_TYPE=none BUS=kafka                         | BUS            | embedded, nats
            unknown network          | EXTRACTOR_TYPE=rpc BITCOIN_NETWORK=mainnett           | BITCOIN_NETWORK | regtest
            not true or false        | EXTRACTOR_TYPE=rpc RPC_GETPEERINFO=yes                | RPC_GETPEERINFO | true or false
            negative size            | EXTRACTOR_TYPE=none TOOLS=metrics METRICS_MAX_SERIES=-5 | METRICS_MAX_SERIES | 0 or more
            speed not a number       | EXTRACTOR_TYPE=replay REPLAY_SPEED=fast               | REPLAY_SPEED   | number of 0 or more
            missing routes directory | EXTRACTOR_TYPE=none ROUTES_DIR=/nonexistent/routes    | ROUTES_DIR     | a directory
            address with a bad port  | EXTRACTOR_TYPE=none TOOLS=metrics METRICS_ADDRESS=127.0.0.1:99999 | METRICS_ADDRESS | host:port
            full control, no password | EXTRACTOR_TYPE=none MANAGEMENT_FULL_CONTROL=true     | MANAGEMENT_FULL_CONTROL | MANAGEMENT_AUTH_PASSWORD
            half the management auth | EXTRACTOR_TYPE=none MANAGEMENT_AUTH_USERNAME=operator | MANAGEMENT_AUTH_PASSWORD |
            missing pid file         | EXTRACTOR_TYPE=ebpf BITCOIND_PID_FILE=/nonexistent/bitcoind.pid | BITCOIND_PID_FILE |
            unreadable cookie        | EXTRACTOR_TYPE=rpc RPC_COOKIE_FILE=/proc             | RPC_COOKIE_FILE |
            half the metrics auth    | EXTRACTOR_TYPE=none TOOLS=metrics METRICS_AUTH_USERNAME=prometheus | METRICS_AUTH_PASSWORD |
            """)
    void endsWithOneSentenceNamingTheSetting(String name, String settings, String named, String accepted) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("TOOLS", "none"));
        for (String s : settings.split(" ")) {
            env.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        }
        try (AppProcess app = new AppProcess(env)) {
            assertEquals(2, app.waitFor(Duration.ofSeconds(60)), () -> String.join("\n", app.lines()));
            List<String> sentences = app.lines().stream().filter(l -> l.startsWith("peer-observer: cannot start: ")).toList();
            assertEquals(1, sentences.size(), () -> String.join("\n", app.lines()));
            assertTrue(sentences.get(0).contains(named), sentences.get(0));
            assertTrue(accepted == null || sentences.get(0).contains(accepted), "says what is accepted: " + sentences.get(0));
            assertTrue(app.count(l -> l.startsWith("\tat ")) <= 1, "no stack trace dump, at most the first frame");
        }
    }
}
