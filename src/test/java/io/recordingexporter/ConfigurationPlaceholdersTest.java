package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.junit.jupiter.api.Test;

/**
 * Routes and configuration agree both ways: every {@code {{key}}} a route reads is declared in
 * {@code config/application.properties}, and every {@code exporter.*} and {@code genesys.*} key declared there is
 * looked up when the exporter starts (Camel's property lookups, counted as they happen, not text found in a file).
 */
class ConfigurationPlaceholdersTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z][a-z0-9.\\-]*)}}");
    private static final Pattern DECLARED = Pattern.compile("(?m)^([a-z][a-zA-Z0-9.\\-\\[\\]]*)\\s*=");
    private static final Set<String> TEMPLATE_PARAMETERS = Set.of("lane", "batchsize", "queue");

    private static Set<String> declared() throws IOException {
        Set<String> declared = new TreeSet<>();
        Matcher declaration = DECLARED.matcher(Files.readString(Path.of("config/application.properties")));
        while (declaration.find()) {
            declared.add(declaration.group(1));
        }
        return declared;
    }

    @Test
    void everyKeyARouteReadsIsDeclared() throws IOException {
        Set<String> readByRoutes = new TreeSet<>();
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path route : routes.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Matcher placeholder = PLACEHOLDER.matcher(Files.readString(route));
                while (placeholder.find()) {
                    readByRoutes.add(placeholder.group(1));
                }
            }
        }
        Set<String> declared = declared();
        assertTrue(declared.size() > 20, "the configuration was read: " + declared.size() + " keys");
        Set<String> undeclared = new TreeSet<>(readByRoutes);
        undeclared.removeIf(key -> declared.contains(key) || TEMPLATE_PARAMETERS.contains(key.toLowerCase()));
        assertEquals(Set.of(), undeclared, "placeholders in routes/ missing from config/application.properties");
    }

    @Test
    void everyDeclaredKeyIsLookedUpWhenTheExporterStarts() throws Exception {
        Set<String> lookedUp = ConcurrentHashMap.newKeySet();
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(1, 1)) {
            environment.startExporter(Map.of(), main -> main.addMainListener(new MainListenerSupport() {
                @Override
                public void beforeConfigure(BaseMainSupport starting) {
                    starting.getCamelContext().getPropertiesComponent().addPropertiesLookupListener(
                            (name, value, defaultValue, source) -> lookedUp.add(name));
                }
            }));
        }
        Set<String> unused = new TreeSet<>();
        for (String key : declared()) {
            if ((key.startsWith("exporter.") || key.startsWith("genesys.")) && !lookedUp.contains(key)) {
                unused.add(key);
            }
        }
        assertEquals(Set.of(), unused, "keys declared in config/application.properties that the exporter never looks up");
    }
}
