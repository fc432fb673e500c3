package org.peerobserver.event;

/**
 * One route's events in JMX ({@code org.apache.camel:context=...,type=events,name="<route>"}, beside Camel's
 * own route MBean, whose exchange counts are batches).
 */
public interface RouteEventsMBean {
    String getRouteId();

    /** Events the route took in: from its source, or from the bus. */
    long getEventsIn();

    /** Events the route finished with, without error (on an extractor's route: handed to the bus). */
    long getEventsOut();

    /** Events lost on the way into the route (its bus queue was full) or in it (an error). */
    long getEventsDropped();
}
