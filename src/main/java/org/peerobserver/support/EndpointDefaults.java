package org.peerobserver.support;

import org.apache.camel.RuntimeCamelException;

/**
 * A component's configuration: the component holds one, set once from application.properties, and hands
 * each endpoint a copy that its URI options may change without touching the others.
 */
public abstract class EndpointDefaults<T extends EndpointDefaults<T>> implements Cloneable {

    /** A shallow copy: every option is a value (text, number, duration). */
    @SuppressWarnings("unchecked")
    public T copy() {
        try {
            return (T) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
