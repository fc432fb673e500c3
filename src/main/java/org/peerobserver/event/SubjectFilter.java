package org.peerobserver.event;

import java.util.List;

/** NATS subject matching (in-JVM bus subscriptions, websocket feed filters): {@code *} is one token, a trailing {@code >} one or more. */
public final class SubjectFilter {
    private final List<String[]> patterns;

    public SubjectFilter(List<String> subjects) {
        this.patterns = subjects.stream().map(s -> s.split("\\.", -1)).toList();
    }

    public boolean matches(String subject) {
        String[] tokens = subject.split("\\.", -1);
        return patterns.stream().anyMatch(p -> matches(p, tokens));
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
