package org.peerobserver.testing;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.peerobserver.PeerObserver;

/**
 * The application as camel-main boots it (application.properties, YAML routes, the bus), with
 * per-test settings on top and the management HTTP server off (tests that need it run the jar).
 */
public abstract class AppTestSupport extends CamelMainTestSupport {

    /** Settings for this test, on top of application.properties. */
    protected abstract Properties settings();

    @Override
    protected Class<?> getMainClass() {
        return PeerObserver.class;
    }

    /**
     * No scan of the main class's package for Java routes: on the test classpath it would find every test's
     * own (often anonymous) RouteBuilder and try to start them all in this test's application.
     */
    @Override
    protected void configure(MainConfigurationProperties configuration) {
        super.configure(configuration);
        configuration.setBasePackageScanEnabled(false);
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        Properties p = new Properties();
        p.put("camel.management.enabled", "false");
        p.put("camel.metrics.enabled", "false");
        p.put("extractors", "none");
        p.put("tools", "none");
        p.putAll(settings());
        configuration.withUseOverridePropertiesWithPropertiesComponent(p);
    }

    public static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    public static HealthCheck.State busHealth(CamelContext context) {
        HealthCheck check = HealthCheckRegistry.get(context).getCheck("bus").orElseThrow();
        return check.call().getState();
    }
}
