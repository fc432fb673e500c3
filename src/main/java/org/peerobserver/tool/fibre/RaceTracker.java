package org.peerobserver.tool.fibre;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.peerobserver.proto.ext.BlockRace;
import org.peerobserver.proto.ext.RaceArrival;

/**
 * For each new block (per node), the first arrival by each mechanism. A race opens at the first
 * sighting and closes once the window has passed; then it yields its result. Bounded: at most
 * {@code maxOpen} open races (the oldest closes early when a new one would exceed it), and sightings
 * of a recently closed block are ignored rather than opening a second race for it. Times are the
 * events' own (milliseconds), so replayed and out-of-order events are judged by when they happened.
 * Not thread-safe.
 */
final class RaceTracker {
    private final long windowMillis;
    private final int maxOpen;
    private final Map<Key, Race> open = new LinkedHashMap<>();
    private final Set<Key> recentlyClosed = new LinkedHashSet<>();
    private long closedEarly;
    private long late;

    RaceTracker(long windowMillis, int maxOpen) {
        if (windowMillis < 1 || maxOpen < 1) {
            throw new IllegalArgumentException("the race window and the number of open races must be positive");
        }
        this.windowMillis = windowMillis;
        this.maxOpen = maxOpen;
    }

    record Key(String node, String hash) {
        // written out: a record's generated equals and hashCode go through method handles, which cost more
        // than the rest of a FIBRE event's bookkeeping when the JIT stops at C1 (the fibre-exporter's flags)
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && hash.equals(k.hash) && node.equals(k.node);
        }

        @Override
        public int hashCode() {
            return 31 * node.hashCode() + hash.hashCode();
        }
    }

    /** A closed race: its node and its result. */
    record Result(String node, BlockRace race) {
    }

    /** {@code mechanism} delivered block {@code hash} to {@code node} from {@code peer} at {@code atMillis}. */
    List<Result> seen(String node, String hash, Mechanism mechanism, String peer, long atMillis) {
        Key key = new Key(node, hash);
        if (recentlyClosed.contains(key)) {
            late++;
            return List.of();
        }
        List<Result> closed = List.of();
        Race race = open.get(key);
        if (race == null) {
            if (open.size() >= maxOpen) {
                Iterator<Map.Entry<Key, Race>> oldest = open.entrySet().iterator();
                Map.Entry<Key, Race> e = oldest.next();
                oldest.remove();
                closedEarly++;
                closed = List.of(close(e.getKey(), e.getValue()));
            }
            race = new Race(atMillis);
            open.put(key, race);
        }
        race.arrive(mechanism, peer, atMillis);
        return closed;
    }

    /** Closes the races opened at least a window before {@code nowMillis}, oldest first. */
    List<Result> expire(long nowMillis) {
        // called once per event, and usually nothing is due: no list is made for that
        List<Result> closed = List.of();
        Iterator<Map.Entry<Key, Race>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Race> e = it.next();
            if (nowMillis - e.getValue().openedAt < windowMillis) {
                break;   // races open in order, so the rest are younger
            }
            it.remove();
            if (closed.isEmpty()) {
                closed = new ArrayList<>();
            }
            closed.add(close(e.getKey(), e.getValue()));
        }
        return closed;
    }

    int openRaces() {
        return open.size();
    }

    /** Races closed before their window passed because {@code maxOpen} were open. */
    long closedEarly() {
        return closedEarly;
    }

    /** Sightings of a block whose race had already closed. */
    long late() {
        return late;
    }

    private Result close(Key key, Race race) {
        recentlyClosed.add(key);
        if (recentlyClosed.size() > maxOpen) {
            Iterator<Key> it = recentlyClosed.iterator();
            it.next();
            it.remove();
        }
        return new Result(key.node(), race.result(key.hash()));
    }

    private static final class Race {
        final long openedAt;
        final Map<Mechanism, Long> at = new EnumMap<>(Mechanism.class);
        final Map<Mechanism, String> peer = new EnumMap<>(Mechanism.class);

        Race(long openedAt) {
            this.openedAt = openedAt;
        }

        /** Keeps the earliest arrival of each mechanism, whatever order the sightings come in. */
        void arrive(Mechanism m, String from, long when) {
            Long before = at.get(m);
            if (before == null || when < before) {
                at.put(m, when);
                peer.put(m, from);
            }
        }

        BlockRace result(String hash) {
            // earliest first; equal times keep the enum order, so the result does not depend on arrival order
            List<Mechanism> order = new ArrayList<>(at.keySet());
            order.sort((a, b) -> Long.compare(at.get(a), at.get(b)));
            Mechanism winner = order.get(0);
            long first = at.get(winner);
            BlockRace.Builder b = BlockRace.newBuilder().setBlockHash(hash).setWinner(winner.label)
                    .setFirstSeen(first).setTie(false);
            if (!peer.get(winner).isEmpty()) {
                b.setWinnerPeer(peer.get(winner));
            }
            if (order.size() > 1) {
                Mechanism second = order.get(1);
                long margin = at.get(second) - first;
                b.setRunnerUp(second.label).setMarginMs(margin).setTie(margin == 0);
            }
            for (Mechanism m : order) {
                RaceArrival a = RaceArrival.newBuilder().setAfterMs(at.get(m) - first).setPeer(peer.get(m)).build();
                switch (m) {
                    case FIBRE_UDP -> b.setFibreUdp(a);
                    case CMPCTBLOCK -> b.setCmpctblock(a);
                    case HEADERS -> b.setHeaders(a);
                    case INV -> b.setInv(a);
                    case BLOCK -> b.setBlock(a);
                }
            }
            return b.build();
        }
    }
}
