package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service's packages depend one way, as the JDK's own {@code jdeps} reads the compiled classes
 * ({@code jdeps -verbose:package target/classes}): no cycle, the domain on nothing of ours, the adapters on the domain
 * and never on the failure policy that sits above them, and no sandbox class in the service at all.
 */
class PackageDependenciesTest {

    private static final String ROOT = "io.recordingexporter";
    private static final Pattern EDGE = Pattern.compile("^\\s+(io\\.recordingexporter[\\w.]*)\\s+->\\s+(io\\.recordingexporter[\\w.]*)\\s",
            Pattern.MULTILINE);
    private static final Map<String, Set<String>> USES = new TreeMap<>();

    @BeforeAll
    static void readTheCompiledService() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int exit = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-verbose:package",
                "-filter:none", "target/classes");
        assertEquals(0, exit, "jdeps read target/classes");
        Matcher edge = EDGE.matcher(out.toString());
        while (edge.find()) {
            if (!edge.group(1).equals(edge.group(2))) {
                USES.computeIfAbsent(edge.group(1), from -> new TreeSet<>()).add(edge.group(2));
            }
        }
        assertTrue(USES.size() > 5, "packages found: " + USES.keySet());
    }

    private static Set<String> uses(String pkg) {
        return USES.getOrDefault(ROOT + "." + pkg, Set.of());
    }

    @Test
    void noPackageReachesItself() {
        for (String start : USES.keySet()) {
            Deque<String> toVisit = new ArrayDeque<>(USES.get(start));
            Set<String> reached = new TreeSet<>();
            while (!toVisit.isEmpty()) {
                String next = toVisit.pop();
                assertTrue(!next.equals(start), start + " depends on itself through " + reached);
                if (reached.add(next)) {
                    toVisit.addAll(USES.getOrDefault(next, Set.of()));
                }
            }
        }
    }

    @Test
    void theDomainUsesNothingOfOursAndTheAdaptersNotTheFailurePolicy() {
        assertEquals(Set.of(), uses("domain"), "the domain stands alone");
        assertEquals(Set.of(), uses("resilience"), "the circuit breaker and backoff stand alone");
        assertEquals(Set.of(), uses("settings"), "settings are read without the parts they configure");
        for (String adapter : List.of("genesys", "custody", "audit", "ledger", "discovery", "incident", "intake",
                "verification")) {
            Set<String> targets = uses(adapter);
            assertTrue(!targets.contains(ROOT + ".failures") && !targets.contains(ROOT),
                    adapter + " must not depend on the failure policy or the wiring above it: " + targets);
        }
        assertTrue(!USES.containsKey(ROOT + ".sandbox"), "no sandbox class is part of the service");
    }
}
