package org.peerobserver.support;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.status.StatusConfiguration;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.log4j.util.PropertiesUtil;

/**
 * The application's log: one line per log event on standard output, dated (ISO 8601); LOG_LEVEL sets our own
 * packages' level. An exception shows its first line and frame only; LOG_STACKTRACES=full shows whole stack traces.
 * LOG_FORMAT=json writes one JSON object a line instead (log-line.json), for Loki and other log stores.
 * {@code %safe} ({@link SafeTextConverter}) keeps every message on one line of at most 8192 characters,
 * controls escaped: text a peer, node or file wrote cannot forge a line or colour a terminal.
 * <p>
 * Declared in Java, not in a log4j2.properties, for the start's CPU, which weighs on the FIBRE exporter's cost
 * per event: from a file, log4j first makes every configuration factory it has, then builds each appender and
 * layout through reflection and annotation parsing; this builds them with their own builders, and only those in
 * use. Starting the log took 0.27 s of CPU from the file and takes 0.17 s so (medians, with the class archive
 * and C1, as fibre-exporter starts; its whole start to attaching: about 0.06 s less).
 * {@code PeerObserver.main} installs it ({@link #install}); wherever log4j starts by itself (tests, a JVM
 * embedding the jar) log4j2.component.properties names {@link Factory}, which gives the same.
 */
public final class LogConfiguration extends AbstractConfiguration {
    /** The system properties read here (the command line's flags write them); they win over the variables. */
    public static final String PROPERTIES = "peerobserver.log.";
    public static final String LEVEL = PROPERTIES + "level";
    public static final String FORMAT = PROPERTIES + "format";
    /** fibre-exporter's --log-file (fibre_exporter.py's): the same lines into that file as well. */
    public static final String FILE = PROPERTIES + "file";
    /** The level of libbpf's own messages (the ebpf extractor's --libbpf-debug); LEVEL's when not set. */
    public static final String LIBBPF = PROPERTIES + "libbpf";
    /** The environment variables read here, with their defaults. */
    public static final Map<String, String> DEFAULTS = Map.of("LOG_LEVEL", "info", "LOG_FORMAT", "text",
            "LOG_STACKTRACES", "short");

    /** Others' loggers kept to WARN: what their INFO lines say, ours say better. */
    private static final List<String> QUIET = List.of(
            // Camel's management endpoint summary prints 0.0.0.0 whatever the address; ManagementServer prints the real one
            "org.apache.camel.component.platform.http.main.MainHttpServerUtil",
            // Camel's own start-up chatter: ManagementServer, the tools and the routes say what runs and where
            "org.apache.camel.component.platform.http.plugin.DefaultJolokiaPlatformHttpPlugin",
            "org.apache.camel.component.micrometer.prometheus.MicrometerPrometheus",
            "org.apache.camel.component.vertx.websocket.VertxWebsocketHost");

    private final Map<String, String> environment;
    private final Properties system;

    /** The configuration for these environment variables and system properties. */
    public LogConfiguration(LoggerContext context, Map<String, String> environment, Properties system) {
        super(context, ConfigurationSource.NULL_SOURCE);
        this.environment = environment;
        this.system = system;
        // Camel stops the context from its own shutdown hook; keep logging alive until it has
        isShutdownHookEnabled = false;
    }

    /** This process's configuration, from its environment and system properties. */
    public static LogConfiguration ofThisProcess(LoggerContext context) {
        return new LogConfiguration(context, System.getenv(), System.getProperties());
    }

    /**
     * Starts this process's log with this configuration, before anything logs: its settings must be system
     * properties by now. A configuration file the user names (log4j2.configurationFile) wins, as it would over a
     * bundled file.
     */
    public static void install() {
        if (PropertiesUtil.getProperties().getStringProperty(ConfigurationFactory.CONFIGURATION_FILE_PROPERTY) == null) {
            Configurator.initialize(ofThisProcess(null));
        }
    }

    @Override
    protected void doConfigure() {
        // log4j's own warnings about this configuration (a bad level) are shown
        new StatusConfiguration().withStatus(Level.WARN).initialize();
        String line = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %c{1} - %safe{%msg}%n%ex{" + setting(null, "LOG_STACKTRACES") + "}";
        String format = setting(FORMAT, "LOG_FORMAT").toLowerCase(Locale.ROOT);
        if (!format.equals("json") && !format.equals("text")) {
            LOGGER.warn("The log format '{}' is neither text nor json; writing text", format);
        }
        boolean json = format.equals("json");
        String file = system.getProperty(FILE, "");
        // each layout built only when an appender uses it: the JSON one costs most
        Layout<?> text = json && file.isBlank() ? null : PatternLayout.newBuilder().withConfiguration(this).withPattern(line).build();
        getRootLogger().setLevel(Level.INFO);
        // straight to the file descriptor, not through System.out: several times faster at a line per event
        if (json) {
            // JSON escapes every control character; a message is cut as %safe cuts it
            attach(ConsoleAppender.newBuilder().setName("json").setDirect(true).setConfiguration(this)
                    .setLayout(JsonTemplateLayout.newBuilder().setConfiguration(this).setEventTemplateUri("classpath:log-line.json")
                            .setMaxStringLength(8192).build()).build());
        } else {
            attach(ConsoleAppender.newBuilder().setName("text").setDirect(true).setConfiguration(this).setLayout(text).build());
        }
        if (!file.isBlank()) {
            attach(FileAppender.newBuilder().withFileName(file).setName("file").setConfiguration(this).setLayout(text).build());
        }
        Level ours = level(setting(LEVEL, "LOG_LEVEL"));
        String libbpf = system.getProperty(LIBBPF);
        logger("org.peerobserver", ours);
        logger("org.peerobserver.extractor.ebpf.libbpf", libbpf == null ? ours : level(libbpf));
        logger("tool-logger", ours);
        QUIET.forEach(name -> logger(name, Level.WARN));
    }

    /** The appender, in this configuration (whose start starts it) and on the root logger. */
    private void attach(Appender appender) {
        addAppender(appender);
        getRootLogger().addAppender(appender, null, null);
    }

    /** A logger at this level; at its parent's when null. */
    private void logger(String name, Level level) {
        addLogger(name, new LoggerConfig(name, level, true));
    }

    /** The level named; null (the parent logger's, as log4j does with a file) for a name that is none. */
    private static Level level(String name) {
        Level level = Level.toLevel(name, null);
        if (level == null) {
            LOGGER.warn("The log level '{}' is none of trace, debug, info, warn, error; the loggers it was for keep their parents' level", name);
        }
        return level;
    }

    /** The system property (a flag's), else the environment variable, else its default; blank counts as unset. */
    private String setting(String property, String variable) {
        String value = property == null ? null : system.getProperty(property);
        if (value == null || value.isBlank()) {
            value = environment.get(variable);
        }
        return value == null || value.isBlank() ? DEFAULTS.get(variable) : value.trim();
    }

    /**
     * {@link LogConfiguration} wherever log4j starts the log by itself, named by log4j2.component.properties; a
     * configuration file named to log4j (log4j2.configurationFile) is left to log4j's own factories.
     */
    public static final class Factory extends ConfigurationFactory {
        @Override
        protected String[] getSupportedTypes() {
            return new String[] { "*" };  // every kind of source: asked first whatever the name
        }

        @Override
        public Configuration getConfiguration(LoggerContext context, String name, URI location) {
            return location == null ? ofThisProcess(context) : null;
        }

        @Override
        public Configuration getConfiguration(LoggerContext context, ConfigurationSource source) {
            return null;
        }
    }
}
