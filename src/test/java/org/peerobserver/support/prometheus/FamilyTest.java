package org.peerobserver.support.prometheus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Series lookup, the per-family cap and removal, through the hash index and the sorted tree alike. */
class FamilyTest {
    private static Family family(int cap) {
        // declared node, useragent, direction: output order direction, node, useragent
        return new Family("f", "help", Family.Type.COUNTER, null, List.of("node", "useragent", "direction"), cap, false);
    }

    private static List<String> keys(Family f) {
        List<String> keys = new ArrayList<>();
        for (Map.Entry<List<String>, Family.Series> e : f.entries()) {
            keys.add(String.join(",", e.getKey()) + "=" + (long) e.getValue().value);
        }
        return keys;
    }

    @Test
    void equalValuesFindTheSameSeriesAndTheExpositionIsSorted() {
        Family f = family(100);
        Family.Series a = f.series("n1", new String[] {"/a/", "inbound"});
        // equal strings that are other instances, as every event's are
        assertSame(a, f.series(new String("n1"), new String[] {new String("/a/"), "inbound"}));
        assertNotSame(a, f.series("n1", new String[] {"/a/", "outbound"}));
        f.series("n0", new String[] {"/b/", "inbound"}).value = 2;
        a.value = 1;
        assertEquals(List.of("inbound,n0,/b/=2", "inbound,n1,/a/=1", "outbound,n1,/a/=0"), keys(f));
    }

    @Test
    void pastTheCapNewCombinationsShareOtherAndKnownOnesStay() {
        Family f = family(3);
        for (int i = 0; i < 6; i++) {
            f.series("n1", new String[] {"/agent:" + i + "/", "inbound"}).value++;
        }
        f.series("n1", new String[] {"/agent:1/", "inbound"}).value++;
        // a value that is literally "other" finds the collapsed series too, as before
        f.series("n1", new String[] {"other", "inbound"}).value++;
        assertEquals(List.of("inbound,n1,/agent:0/=1", "inbound,n1,/agent:1/=2", "inbound,n1,/agent:2/=1",
                "inbound,n1,other=4"), keys(f));
        assertEquals(3, f.pastCap());
    }

    @Test
    void removedSeriesAreGoneFromTheLookupToo() {
        Family f = family(2);
        f.series("n1", new String[] {"/a/", "inbound"}).value = 5;
        f.series("n2", new String[] {"/a/", "inbound"}).value = 6;
        f.removeWhere(f.indexOf("node"), "n1");
        assertEquals(List.of("inbound,n2,/a/=6"), keys(f));
        // made anew at 0, and under the cap again
        assertEquals(0, f.series("n1", new String[] {"/a/", "inbound"}).value);
        f.clear();
        assertEquals(List.of(), keys(f));
        assertEquals(0, f.series("n2", new String[] {"/a/", "inbound"}).value);
        assertEquals(0, f.pastCap());
    }

    @Test
    void theLastLookupIsRememberedOnlyWhileItsSeriesIsThere() {
        Family f = family(2);
        String node = "n1";
        String[] values = {"/a/", "inbound"};
        Family.Series first = f.series(node, values);
        assertSame(first, f.series(node, values));
        f.removeWhere(f.indexOf("node"), node);
        Family.Series again = f.series(node, values);
        assertNotSame(first, again);
        again.value = 7;
        assertEquals(List.of("inbound,n1,/a/=7"), keys(f));
        f.clear();
        assertEquals(0, f.series(node, values).value);
        // past the cap each update of the same strings counts, as a new combination would
        f.series("n2", values);
        String[] past = {"/b/", "inbound"};
        f.series(node, past);
        f.series(node, past);
        assertEquals(2, f.pastCap());
    }

    @Test
    void aFamilyWithoutTheNodeLabelTakesNoNode() {
        Family f = new Family("g", "help", Family.Type.GAUGE, null, List.of("direction"), 10, false);
        f.series(null, new String[] {"inbound"}).value = 3;
        assertEquals(List.of("inbound=3"), keys(f));
        assertThrows(IllegalArgumentException.class, () -> f.series("n1", new String[] {"inbound"}));
        assertThrows(IllegalArgumentException.class, () -> family(10).series("n1", new String[] {"/a/"}));
    }
}
