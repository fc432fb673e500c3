package org.peerobserver.event;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import javax.management.JMException;
import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.ManagementAgent;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events, not exchanges, counted per route: an exchange may carry one event or a batch of hundreds, so
 * Camel's own route statistics cannot tell how many events passed. Made at a route's first event and put
 * in JMX when JMX is on (under Camel's domain, which the read-only Jolokia policy shows); forgotten with
 * the route.
 */
public final class RouteEvents implements RouteEventsMBean {
    private static final Logger LOG = LoggerFactory.getLogger(RouteEvents.class);

    private final String routeId;
    private final LongAdder in = new LongAdder();
    private final LongAdder out = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    private RouteEvents(String routeId) {
        this.routeId = routeId;
    }

    /** The counters of {@code routeId} (null: a consumer outside any route, counted nowhere). */
    public static RouteEvents of(CamelContext context, String routeId) {
        if (routeId == null) {
            return new RouteEvents(null);
        }
        All all = All.of(context);
        return all.routes.computeIfAbsent(routeId, id -> all.register(new RouteEvents(id)));
    }

    public void in(int events) {
        in.add(events);
    }

    public void out(int events) {
        out.add(events);
    }

    public void dropped(int events) {
        dropped.add(events);
    }

    @Override
    public String getRouteId() {
        return routeId;
    }

    @Override
    public long getEventsIn() {
        return in.sum();
    }

    @Override
    public long getEventsOut() {
        return out.sum();
    }

    @Override
    public long getEventsDropped() {
        return dropped.sum();
    }

    /** Every route's counters of one context, kept as a plugin of the context. */
    private static final class All extends LifecycleStrategySupport {
        final Map<String, RouteEvents> routes = new ConcurrentHashMap<>();
        final CamelContext context;

        private All(CamelContext context) {
            this.context = context;
        }

        static All of(CamelContext context) {
            All all = context.getCamelContextExtension().getContextPlugin(All.class);
            if (all == null) {
                synchronized (context) {
                    all = context.getCamelContextExtension().getContextPlugin(All.class);
                    if (all == null) {
                        all = new All(context);
                        context.getCamelContextExtension().addContextPlugin(All.class, all);
                        context.addLifecycleStrategy(all);
                    }
                }
            }
            return all;
        }

        RouteEvents register(RouteEvents route) {
            ManagementAgent agent = agent();
            if (agent != null) {
                try {
                    agent.register(route, name(agent, route.routeId), true);
                } catch (JMException e) {
                    LOG.warn("Cannot show the events of route {} in JMX: {}", route.routeId, e.getMessage());
                }
            }
            return route;
        }

        @Override
        public void onRoutesRemove(Collection<Route> removed) {
            ManagementAgent agent = agent();
            for (Route r : removed) {
                RouteEvents route = routes.remove(r.getRouteId());
                if (route != null && agent != null) {
                    try {
                        agent.unregister(name(agent, route.routeId));
                    } catch (JMException e) {
                        LOG.debug("Cannot remove the events of route {} from JMX: {}", route.routeId, e.getMessage());
                    }
                }
            }
        }

        private ManagementAgent agent() {
            return context.getManagementStrategy() == null ? null : context.getManagementStrategy().getManagementAgent();
        }

        private ObjectName name(ManagementAgent agent, String routeId) throws JMException {
            return new ObjectName(agent.getMBeanObjectDomainName() + ":context=" + context.getManagementName()
                    + ",type=events,name=" + ObjectName.quote(routeId));
        }
    }
}
