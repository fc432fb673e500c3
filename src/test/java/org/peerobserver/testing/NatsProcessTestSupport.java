package org.peerobserver.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Packaged-application processes, one subcommand each, on one real nats-server per test class, with a
 * {@link BusClient} of that server. Processes started here are stopped after the class; starting them in
 * {@code @BeforeAll} lets them boot in parallel.
 */
public abstract class NatsProcessTestSupport {
    // several JVMs booting at once on a small, busy machine take most of a minute
    protected static final Duration START = Duration.ofSeconds(120);
    protected static NatsServer nats;
    protected static BusClient bus;
    private static final List<AppProcess> STARTED = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startNats() throws Exception {
        nats = new NatsServer();
        bus = new BusClient(nats.url());
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (AppProcess p : STARTED) {
            p.close();
        }
        STARTED.clear();
        bus.close();
        nats.close();
    }

    /** {@code peer-observer <args>} with {@code env} added to this JVM's environment. */
    protected static AppProcess start(Map<String, String> env, String... args) throws Exception {
        AppProcess p = new AppProcess(env, args);
        STARTED.add(p);
        return p;
    }

    /** {@code peer-observer <subcommand> --nats-address <this class's server> <flags>}, as upstream's binaries are run. */
    protected static AppProcess onNats(Map<String, String> env, String subcommand, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of(subcommand, "--nats-address", nats.url()));
        args.addAll(List.of(flags));
        return start(env, args.toArray(String[]::new));
    }

    protected static AppProcess onNats(String subcommand, String... flags) throws Exception {
        return onNats(Map.of(), subcommand, flags);
    }
}
