package org.peerobserver.event;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** NATS subject matching (in-JVM bus subscriptions, websocket feed filters): {@code *} is one token, a trailing {@code >} one or more. */
public final class SubjectFilter {
    /** Subjects answered so far: a bus has few, and splitting each event's subject was a tenth of a FIBRE flood's CPU. */
    private static final int KNOWN_MAX = 1024;
    private final List<String[]> patterns;
    private final Map<String, Boolean> known = new ConcurrentHashMap<>();

    public SubjectFilter(List<String> subjects) {
        this.patterns = subjects.stream().map(s -> s.split("\\.", -1)).toList();
    }

    public boolean matches(String subject) {
        Boolean answer = known.get(subject);
        if (answer == null) {
            String[] tokens = subject.split("\\.", -1);
            answer = patterns.stream().anyMatch(p -> matches(p, tokens));
            if (known.size() < KNOWN_MAX) {
                known.put(subject, answer);
            }
        }
        return answer;
    }

    private static boolean matches(String[] pattern, String[] tokens) {
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i].equals(">")) {
                return tokens.length > i;
            }
            if (i >= tokens.length || !(pattern[i].equals("*") || pattern[i].equals(tokens[i]))) {
                return false;
            }
        }
        return tokens.length == pattern.length;
    }
}
