package org.peerobserver.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The fleet topology on 127.0.0.1 with real nats-server processes, configured by the shipped
 * {@code docker/nats/hub.conf} and {@code docker/nats/leaf.conf}: only their listening addresses, the hub
 * servers' names in the routes and the store directories are rewritten to free loopback ports and
 * temporary directories. Three hub servers in a cluster with JetStream, and leaf nodes (sites) that
 * reach every hub server through a {@link CuttableLink}, so a site's link can be cut.
 */
public final class NatsHub implements AutoCloseable {
    private static final int HUB_SERVERS = 3;

    public final class Server {
        final String name;
        final int port;
        final Path config;
        final Map<String, String> env;
        Process process;

        Server(String name, int port, Path config, Map<String, String> env) {
            this.name = name;
            this.port = port;
            this.config = config;
            this.env = env;
        }

        public String url() {
            return "nats://127.0.0.1:" + port;
        }

        public int port() {
            return port;
        }

        public long pid() {
            return process.pid();
        }

        void start() throws IOException {
            ProcessBuilder pb = new ProcessBuilder(NatsServer.binary(), "-c", config.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
            pb.environment().putAll(env);
            process = pb.start();
        }

        /** kill -9: the server goes away without a word to its cluster. */
        public void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }

        void awaitListening() throws IOException, InterruptedException {
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException(name + " exited at start: " + Files.readString(dir.resolve(name + ".log")));
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return;
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
            throw new IOException(name + " did not listen on " + port + " within 20 s");
        }
    }

    private final Path dir;
    private final List<Server> hub = new ArrayList<>();
    private final Map<String, Server> sites = new LinkedHashMap<>();
    private final Map<String, List<CuttableLink>> links = new LinkedHashMap<>();
    private final int[] leafPorts = new int[HUB_SERVERS];

    public NatsHub(Path dir, String... siteNames) throws IOException, InterruptedException {
        this.dir = dir;
        int[] routePorts = new int[HUB_SERVERS];
        for (int i = 0; i < HUB_SERVERS; i++) {
            routePorts[i] = NatsServer.freePort();
            leafPorts[i] = NatsServer.freePort();
        }
        String hubConf = Files.readString(Path.of("docker/nats/hub.conf"));
        for (int i = 0; i < HUB_SERVERS; i++) {
            String name = "hub-" + (i + 1);
            int port = NatsServer.freePort();
            String conf = hubConf.replace("port: 4222", "listen: 127.0.0.1:" + port).replaceAll("(?m)^http_port: .*$", "")
                    .replace("store_dir: /data", "store_dir: \"" + dir.resolve(name) + "\"")
                    .replaceAll("max_file_store: \\S+", "max_file_store: 2GB")
                    .replace("port: 6222", "listen: 127.0.0.1:" + routePorts[i])
                    .replace("port: 7422", "listen: 127.0.0.1:" + leafPorts[i]);
            for (int j = 0; j < HUB_SERVERS; j++) {
                conf = conf.replace("nats-route://hub-" + (j + 1) + ":6222", "nats-route://127.0.0.1:" + routePorts[j]);
            }
            // the sites reach the hub through their links only: what the hub advertises is a port nobody listens on
            hub.add(server(name, port, conf, Map.of("SERVER_NAME", name, "LEAF_ADVERTISE", "127.0.0.1:" + NatsServer.freePort())));
        }
        for (Server s : hub) {
            s.awaitListening();
        }
        for (String site : siteNames) {
            addSite(site);
        }
    }

    private Server server(String name, int port, String conf, Map<String, String> env) throws IOException {
        Path config = dir.resolve(name + ".conf");
        Files.writeString(config, conf);
        Server s = new Server(name, port, config, env);
        s.start();
        return s;
    }

    private void addSite(String site) throws IOException, InterruptedException {
        List<CuttableLink> siteLinks = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>(Map.of("SITE", site));
        for (int i = 0; i < HUB_SERVERS; i++) {
            CuttableLink link = new CuttableLink(leafPorts[i]);
            siteLinks.add(link);
            env.put("HUB_" + (i + 1), "nats-leaf://127.0.0.1:" + link.port());
        }
        links.put(site, siteLinks);
        int port = NatsServer.freePort();
        String conf = Files.readString(Path.of("docker/nats/leaf.conf")).replace("port: 4222", "listen: 127.0.0.1:" + port)
                .replaceAll("(?m)^http_port: .*$", "").replace("store_dir: /data", "store_dir: \"" + dir.resolve(site) + "\"");
        Server s = server(site, port, conf, env);
        s.awaitListening();
        sites.put(site, s);
    }

    public Server hubServer(int i) {
        return hub.get(i);
    }

    /** Every hub server, as a client's server list. */
    public String hubUrls() {
        return hub.stream().map(Server::url).collect(Collectors.joining(","));
    }

    public Server site(String name) {
        return sites.get(name);
    }

    public void cut(String site) {
        links.get(site).forEach(CuttableLink::cut);
    }

    public void restore(String site) {
        links.get(site).forEach(CuttableLink::restore);
    }

    /** The last lines a server logged, for a failure message. */
    public String log(String name) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    @Override
    public void close() throws Exception {
        for (Server s : sites.values()) {
            s.kill();
        }
        for (Server s : hub) {
            s.kill();
        }
        for (List<CuttableLink> l : links.values()) {
            for (CuttableLink link : l) {
                link.close();
            }
        }
    }
}
