package org.peerobserver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Predicate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RoutesDefinition;
import org.apache.camel.model.language.SimpleExpression;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.peerobserver.support.SafeText;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads a route file of ROUTES_DIR when it changes, and never leaves the application worse for it. A
 * file that does not parse, has a route without an id, uses a route id another file already runs, or
 * has a route that cannot be built (an unknown component or bean method) is refused: its routes keep
 * running as they were, one WARN line names the file, the line and the cause, and the health check
 * {@code route-files} is DOWN until the file loads. A good file replaces the routes of its previous
 * version; should its routes fail to start all the same, the previous version is started again.
 * Camel's own reload removes the running route before it knows the new one builds, and replaces a
 * route of another file that has the same id.
 */
final class RouteFileReload extends RouteWatcherReloadStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(RouteFileReload.class);
    private static final String PATTERN = "*.camel.yaml";

    private final Path directory;
    /** The text of each file as it last loaded, to start again should a new version fail to start. */
    private final Map<Path, String> loaded = new ConcurrentHashMap<>();
    /** Why each file that failed to load did, until it loads. */
    private final Map<Path, String> failed = new ConcurrentHashMap<>();

    RouteFileReload(String directory) {
        super(directory, true);
        this.directory = Path.of(directory).toAbsolutePath().normalize();
        setPattern(PATTERN);
        setRemoveAllRoutes(false);
    }

    @Override
    protected void doStart() throws Exception {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).toList()) {
                loaded.put(file, Files.readString(file));
            }
        }
        HealthCheckRegistry.get(getCamelContext()).register(new RouteFilesHealth());
        super.doStart();
    }

    /** Called by the file watcher with the one file that changed (null: "every file", which our pattern never asks). */
    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        if (resources == null) {
            return;
        }
        for (Resource resource : resources) {
            reload(Path.of(resource.getURI()).toAbsolutePath().normalize());
        }
    }

    private void reload(Path file) {
        String name = directory.relativize(file).toString();
        if (!Files.exists(file)) {
            failed.remove(file);
            Set<String> ids = routeIdsOf(file);
            if (!ids.isEmpty()) {
                LOG.info("Route file {} removed: {} run until the application restarts", name, String.join(", ", ids));
            }
            return;
        }
        try {
            String text = Files.readString(file);
            if (text.isBlank()) {
                // a file being written shows up empty first; the next change event brings its content
                return;
            }
            Set<String> ids = load(file, text);
            loaded.put(file, text);
            failed.remove(file);
            LOG.info("Route file {} reloaded: {}", name, ids.isEmpty() ? "no route runs from it" : String.join(", ", ids));
        } catch (Exception e) {
            String why = SafeText.of(why(e), 400);
            // an editor's save can come as several file events: one line per change of reason
            if (!why.equals(failed.put(file, why))) {
                LOG.warn("Route file {} not loaded, its running routes are kept: {}", name, why);
            }
        }
    }

    /** Parses, checks and builds the file's routes, then swaps them for those of its previous version. */
    private Set<String> load(Path file, String text) throws Exception {
        CamelContext context = getCamelContext();
        RouteBuilder builder = parse(file, text);
        List<RouteDefinition> routes = builder.configureRoutes(context).getRoutes();
        checkIds(file, routes);
        RoutesDefinition collection = builder.getRouteCollection();
        Set<String> running = new LinkedHashSet<>();
        for (RouteDefinition route : routes) {
            if (included(route)) {
                collection.prepareRoute(route);
                build(route);
                running.add(route.getRouteId());
            }
        }
        Set<String> previous = routeIdsOf(file);
        try {
            removeRoutes(previous);
            builder.updateRoutesToCamelContext(context);
        } catch (Exception e) {
            // built, yet did not start (a port taken, say): the previous version runs again
            int line = lineOfFailedStart(routes, running);
            removeRoutes(routes.stream().map(RouteDefinition::getRouteId).toList());
            String before = loaded.get(file);
            if (before != null) {
                parse(file, before).updateRoutesToCamelContext(context);
            }
            throw new LineException(line, e);
        }
        return running;
    }

    private RouteBuilder parse(Path file, String text) throws Exception {
        Resource resource = ResourceHelper.fromString("file:" + file, text);
        Collection<RoutesBuilder> builders = PluginHelper.getRoutesLoader(getCamelContext()).findRoutesBuilders(List.of(resource));
        if (builders.size() != 1 || !(builders.iterator().next() instanceof RouteBuilder builder)) {
            throw new IllegalArgumentException("not a YAML route file");
        }
        return builder;
    }

    /** Every route has an id, used once in the file and by no route of another file. */
    private void checkIds(Path file, List<RouteDefinition> routes) {
        Set<String> seen = new HashSet<>();
        for (RouteDefinition route : routes) {
            String id = route.getRouteId();
            if (id == null || id.isBlank()) {
                throw new LineException(line(route), "a route without an id (each route of a file that reloads needs one)");
            }
            if (!seen.add(id)) {
                throw new LineException(line(route), "route id " + id + " is used twice in this file");
            }
            for (RouteDefinition other : model().getRouteDefinitions()) {
                Path otherFile = fileOf(other);
                if (id.equals(other.getRouteId()) && otherFile != null && !otherFile.equals(file)) {
                    throw new LineException(line(route), "route id " + id + " is already used by "
                            + directory.relativize(otherFile) + " (ids must be unique; rename one)");
                }
            }
        }
    }

    /** Builds the route, as starting it would, without starting it: an unknown component or bean method fails here. */
    private void build(RouteDefinition route) throws Exception {
        CamelContext context = getCamelContext();
        context.getCamelContextExtension().createRoute(route.getRouteId());
        try {
            model().getModelReifierFactory().createRoute(context, route);
        } catch (Exception e) {
            throw new LineException(lineOfFailure(route, e), e);
        } finally {
            context.getCamelContextExtension().createRoute(null);
        }
    }

    /** Whether the route's precondition (e.g. "'logger' in '{{tools}}'") lets it run, as Camel decides at start. */
    private boolean included(RouteDefinition route) {
        if (route.getPrecondition() == null) {
            return true;
        }
        SimpleExpression expression = new SimpleExpression(route.getPrecondition());
        expression.initPredicate(getCamelContext());
        Predicate predicate = expression.getPredicate();
        predicate.initPredicate(getCamelContext());
        return predicate.matches(new DefaultExchange(getCamelContext()));
    }

    private Set<String> routeIdsOf(Path file) {
        Set<String> ids = new LinkedHashSet<>();
        for (RouteDefinition route : model().getRouteDefinitions()) {
            if (file.equals(fileOf(route))) {
                ids.add(route.getRouteId());
            }
        }
        return ids;
    }

    private void removeRoutes(Collection<String> ids) throws Exception {
        CamelContext context = getCamelContext();
        for (String id : ids) {
            if (context.getRoute(id) != null) {
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
            }
        }
    }

    private Model model() {
        return getCamelContext().getCamelContextExtension().getContextPlugin(Model.class);
    }

    private static Path fileOf(RouteDefinition route) {
        Resource resource = route.getResource();
        if (resource == null || !resource.getLocation().startsWith("file:")) {
            return null;
        }
        return Path.of(resource.getLocation().substring("file:".length())).toAbsolutePath().normalize();
    }

    private static int line(RouteDefinition route) {
        return route.getInput() != null && route.getInput().getLineNumber() > 0 ? route.getInput().getLineNumber() : route.getLineNumber();
    }

    /** The line of the step Camel names in its failure (">>> Bean[...] <<<"), else the route's. */
    private static int lineOfFailure(RouteDefinition route, Exception e) {
        String message = String.valueOf(e.getMessage());
        for (ProcessorDefinition<?> step : steps(route.getOutputs(), new ArrayList<>())) {
            if (step.getLineNumber() > 0 && message.contains(">>> " + step + " <<<")) {
                return step.getLineNumber();
            }
        }
        return line(route);
    }

    /** The line of the first of the routes that should run and does not, else 0. */
    private int lineOfFailedStart(List<RouteDefinition> routes, Set<String> shouldRun) {
        for (RouteDefinition route : routes) {
            if (shouldRun.contains(route.getRouteId())
                    && getCamelContext().getRouteController().getRouteStatus(route.getRouteId()) != ServiceStatus.Started) {
                return line(route);
            }
        }
        return 0;
    }

    private static List<ProcessorDefinition<?>> steps(List<ProcessorDefinition<?>> outputs, List<ProcessorDefinition<?>> all) {
        for (ProcessorDefinition<?> step : outputs) {
            all.add(step);
            steps(step.getOutputs(), all);
        }
        return all;
    }

    /** "line L, column C: what the parser or Camel said", from the innermost cause that says it. */
    private static String why(Exception e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException yaml && yaml.getProblemMark().isPresent()) {
                return "line " + (yaml.getProblemMark().get().getLine() + 1) + ", column " + (yaml.getProblemMark().get().getColumn() + 1)
                        + ": " + yaml.getProblem() + (yaml.getContext() == null ? "" : " (" + yaml.getContext() + ")");
            }
            root = t;
        }
        String cause = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return e instanceof LineException l && l.line > 0 ? "line " + l.line + ": " + cause : cause;
    }

    /** A failure that belongs to a line of the file. */
    private static final class LineException extends RuntimeException {
        private final int line;

        LineException(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }

        LineException(int line, Throwable cause) {
            super(cause.getMessage(), cause, false, false);
            this.line = line;
        }
    }

    /** DOWN while a route file failed to load, naming each such file and why. */
    private final class RouteFilesHealth extends AbstractHealthCheck {
        RouteFilesHealth() {
            super("peer-observer", "route-files");
        }

        /** Readiness only: a restart would not load the file either, it would fail to start. */
        @Override
        public boolean isLiveness() {
            return false;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            if (failed.isEmpty()) {
                builder.up();
                return;
            }
            Map<String, String> byName = new TreeMap<>();
            failed.forEach((file, why) -> byName.put(directory.relativize(file).toString(), why));
            builder.message("route files not loaded (the running routes are kept): " + byName);
            builder.down();
        }
    }
}
