package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Routes and configuration agree both ways: every {@code {{key}}} a route reads is declared in
 * {@code config/application.properties}, and every {@code exporter.*} key declared there is read by a route or by
 * {@link ExporterBeans}.
 */
class ConfigurationPlaceholdersTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z][a-z0-9.\\-]*)}}");
    private static final Pattern DECLARED = Pattern.compile("(?m)^([a-z][a-zA-Z0-9.\\-\\[\\]]*)\\s*=");
    private static final Set<String> TEMPLATE_PARAMETERS = Set.of("lane", "batchsize", "queue");
    private static final Pattern RETRY_CLASS_KEY = Pattern.compile("^exporter\\.retry\\.([a-z0-9\\-]+)\\.([a-z\\-]+)$");
    private static final Set<String> CLASS_KEYS = java.util.Arrays.stream(io.recordingexporter.lanes.FailureClass.values())
            .map(io.recordingexporter.lanes.FailureClass::key).collect(java.util.stream.Collectors.toSet());

    @Test
    void everyKeyReadIsDeclaredAndEveryDeclaredKeyIsRead() throws IOException {
        Set<String> declared = new TreeSet<>();
        Matcher declaration = DECLARED.matcher(Files.readString(Path.of("config/application.properties")));
        while (declaration.find()) {
            declared.add(declaration.group(1));
        }
        StringBuilder readers = new StringBuilder();
        Set<String> readByRoutes = new TreeSet<>();
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path route : routes.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                String text = Files.readString(route);
                readers.append(text);
                Matcher placeholder = PLACEHOLDER.matcher(text);
                while (placeholder.find()) {
                    readByRoutes.add(placeholder.group(1));
                }
            }
        }
        readers.append(Files.readString(Path.of("src/main/java/io/recordingexporter/ExporterBeans.java")));
        // a value may be made of other keys (a lane's queue endpoint of its size and threads)
        Matcher nested = PLACEHOLDER.matcher(Files.readString(Path.of("config/application.properties")));
        while (nested.find()) {
            readers.append('\n').append(nested.group(1));
        }

        Set<String> undeclared = new TreeSet<>(readByRoutes);
        undeclared.removeIf(key -> declared.contains(key) || TEMPLATE_PARAMETERS.contains(key.toLowerCase()));
        assertEquals(Set.of(), undeclared, "placeholders in routes/ missing from config/application.properties");

        Set<String> unused = new TreeSet<>();
        for (String key : declared) {
            if (key.startsWith("exporter.") || key.startsWith("genesys.")) {
                String dynamicLaneKey = key.replaceAll("^exporter\\.lane\\.[a-z\\-]+\\.", "exporter.lane.\" + lane + \".");
                Matcher classKey = RETRY_CLASS_KEY.matcher(key);
                boolean readPerClass = classKey.matches() && CLASS_KEYS.contains(classKey.group(1))
                        && readers.toString().contains("\"exporter.retry.\" + failureClass.key() + \".\"")
                        && readers.toString().contains("+ \"" + classKey.group(2) + "\"");
                if (!readers.toString().contains(key) && !readers.toString().contains(dynamicLaneKey) && !readPerClass) {
                    unused.add(key);
                }
            }
        }
        assertEquals(Set.of(), unused, "keys declared in config/application.properties that nothing reads");
        assertTrue(declared.size() > 20, "the configuration was read: " + declared.size() + " keys");
    }
}
