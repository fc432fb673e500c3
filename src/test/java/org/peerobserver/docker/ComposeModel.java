package org.peerobserver.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * A compose file as docker compose reads it, for checks without a Docker engine: variables replaced
 * by their defaults (no .env, an empty environment), {@code include} and {@code extends} resolved,
 * and relative paths made absolute from the file that wrote them.
 */
final class ComposeModel {
    /** The files users give docker compose (-f, or none for compose.yaml). */
    static final List<String> TOP_LEVEL = List.of("compose.yaml", "node.regtest.yml", "node.signet.yml", "node.mainnet.yml",
            "monitoring-only.yml", "hub.yml", "site.yml");
    /** The files that define a bitcoin-node. */
    static final List<String> NODE_FILES = List.of("compose.yaml", "node.regtest.yml", "node.signet.yml", "node.mainnet.yml");
    /** Every compose file, included or extended ones too. */
    static final List<String> ALL = List.of("compose.yaml", "node.regtest.yml", "node.signet.yml", "node.mainnet.yml",
            "monitoring-only.yml", "hub.yml", "site.yml", "docker/compose/monitoring.yml", "docker/compose/templates.yml",
            "docker/compose/hub-templates.yml");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");
    /** Lists compose replaces rather than merges when a service extends another. */
    private static final Set<String> REPLACED_LISTS = Set.of("command", "entrypoint", "test");
    private static final YAMLMapper YAML = new YAMLMapper();

    private ComposeModel() {
    }

    /** The whole model of a file: services, volumes, ... with its includes and extends resolved. */
    static ObjectNode load(String file) {
        return load(Path.of(file).toAbsolutePath().normalize());
    }

    static ObjectNode service(ObjectNode model, String name) {
        JsonNode s = model.path("services").get(name);
        if (s == null) {
            throw new AssertionError("no service " + name);
        }
        return (ObjectNode) s;
    }

    /** One file alone, variables replaced, nothing resolved: what the schema says of each file. */
    static ObjectNode raw(String file) {
        return parse(Path.of(file).toAbsolutePath().normalize());
    }

    /** Every ${NAME:-default} of the compose files, by name; a name with two defaults fails. */
    static Map<String, String> variables() {
        Map<String, String> vars = new TreeMap<>();
        for (String f : ALL) {
            Matcher m = VARIABLE.matcher(read(Path.of(f)));
            while (m.find()) {
                String def = m.group(2) == null ? "" : m.group(2);
                String before = vars.putIfAbsent(m.group(1), def);
                if (before != null && !before.equals(def)) {
                    throw new AssertionError(m.group(1) + " has two defaults: '" + before + "' and '" + def + "'");
                }
            }
        }
        return vars;
    }

    /** The container ports a service publishes ("host_ip:host:container" or "host:container"). */
    static Set<Integer> publishedPorts(JsonNode service) {
        Set<Integer> ports = new TreeSet<>();
        for (JsonNode p : service.path("ports")) {
            String[] parts = p.asText().split("/")[0].split(":");
            int container = Integer.parseInt(parts[parts.length - 1]);
            if (parts.length < 2 || Integer.parseInt(parts[parts.length - 2]) != container) {
                throw new AssertionError("port " + p.asText() + " is published on another host port than its own");
            }
            ports.add(container);
        }
        return ports;
    }

    static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The environment a service's container gets, as compose gives it (map or list form). */
    static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode e = service.path("environment");
        if (e.isArray()) {
            e.forEach(n -> {
                String[] kv = n.asText().split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : "");
            });
        } else {
            // ${NAME:-} is replaced before the YAML is read, so an empty default reads as null: compose's ""
            e.fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().isNull() ? "" : f.getValue().asText()));
        }
        return env;
    }

    private static ObjectNode load(Path file) {
        ObjectNode model = parse(file);
        ObjectNode services = model.with("services");
        services.fields().forEachRemaining(f -> f.setValue(resolveExtends(file, (ObjectNode) f.getValue())));
        for (JsonNode inc : model.path("include")) {
            Path included = file.resolveSibling(inc.isTextual() ? inc.asText() : inc.path("path").asText()).normalize();
            ObjectNode other = load(included);
            for (String section : List.of("services", "volumes", "networks", "configs", "secrets")) {
                other.path(section).fields().forEachRemaining(f -> {
                    if (model.with(section).has(f.getKey())) {
                        throw new AssertionError(file + " and its include " + included + " both define " + section + " " + f.getKey());
                    }
                    model.with(section).set(f.getKey(), f.getValue());
                });
            }
        }
        model.remove("include");
        return model;
    }

    private static ObjectNode resolveExtends(Path file, ObjectNode service) {
        JsonNode ext = service.remove("extends");
        if (ext == null) {
            return service;
        }
        Path baseFile = ext.has("file") ? file.resolveSibling(ext.get("file").asText()).normalize() : file;
        ObjectNode base = service(load(baseFile), ext.path("service").asText()).deepCopy();
        merge(base, service);
        return base;
    }

    private static void merge(ObjectNode base, ObjectNode over) {
        over.fields().forEachRemaining(f -> {
            JsonNode mine = base.get(f.getKey());
            if (mine instanceof ObjectNode o && f.getValue() instanceof ObjectNode v) {
                merge(o, v);
            } else if (mine instanceof ArrayNode a && f.getValue() instanceof ArrayNode v && !REPLACED_LISTS.contains(f.getKey())) {
                v.forEach(item -> {
                    if (!contains(a, item)) {
                        a.add(item);
                    }
                });
            } else {
                base.set(f.getKey(), f.getValue());
            }
        });
    }

    private static boolean contains(ArrayNode a, JsonNode item) {
        for (JsonNode n : a) {
            if (n.equals(item)) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode parse(Path file) {
        String text = VARIABLE.matcher(read(file)).replaceAll(m -> Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
        try {
            JsonNode node = YAML.readTree(text);
            ObjectNode model = node instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
            model.path("services").forEach(s -> absolutePaths(file.getParent(), (ObjectNode) s));
            return model;
        } catch (IOException e) {
            throw new AssertionError(file + " is not YAML: " + e.getMessage());
        }
    }

    /** Build contexts and bind-mount sources, relative to the file that names them, made absolute. */
    private static void absolutePaths(Path dir, ObjectNode service) {
        JsonNode build = service.get("build");
        if (build != null && build.isTextual()) {
            service.set("build", JsonNodeFactory.instance.objectNode().put("context", dir.resolve(build.asText()).normalize().toString()));
        } else if (build instanceof ObjectNode b) {
            b.put("context", dir.resolve(b.path("context").asText(".")).normalize().toString());
        }
        if (service.get("volumes") instanceof ArrayNode volumes) {
            for (int i = 0; i < volumes.size(); i++) {
                String v = volumes.get(i).asText();
                if (v.startsWith(".")) {
                    int colon = v.indexOf(':');
                    volumes.set(i, dir.resolve(v.substring(0, colon)).normalize() + v.substring(colon));
                }
            }
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
