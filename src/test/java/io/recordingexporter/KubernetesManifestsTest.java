package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The Kubernetes manifests under {@code config/k8s} parse, fit together (selectors, named ports, the ConfigMap and the
 * Secret they reference) and fit the image and the service: the Dockerfile's user and folders, the ports and shutdown
 * timeout of {@code config/application.properties}, the liveness and readiness endpoints, and only variables the README
 * documents.
 */
class KubernetesManifestsTest {

    private static final Path MANIFESTS = Path.of("config", "k8s");
    private static final List<Map<String, Object>> OBJECTS = new ArrayList<>();
    private static String readme;

    @BeforeAll
    static void parse() throws IOException {
        try (Stream<Path> files = Files.list(MANIFESTS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : new Load(LoadSettings.builder().build())
                        .loadAllFromString(Files.readString(file))) {
                    Map<String, Object> object = map(document);
                    assertNotNull(object.get("apiVersion"), file + ": apiVersion");
                    assertNotNull(object.get("kind"), file + ": kind");
                    object.put("_file", file.getFileName().toString());
                    OBJECTS.add(object);
                }
            }
        }
        readme = Files.readString(Path.of("README.md"));
    }

    @Test
    void everyManifestIsInTheKustomizationAndNamed() throws IOException {
        Map<String, Object> kustomization = only("Kustomization");
        Set<String> listed = new TreeSet<>(strings(kustomization.get("resources")));
        Set<String> files = new TreeSet<>();
        OBJECTS.stream().filter(o -> !o.get("kind").equals("Kustomization")).forEach(o -> {
            files.add((String) o.get("_file"));
            assertNotNull(map(o.get("metadata")).get("name"), o.get("_file") + ": metadata.name");
        });
        assertEquals(files, listed, "kubectl apply -k applies every manifest");
    }

    @Test
    void theDeploymentFitsTheImageAndTheService() throws IOException {
        Map<String, Object> pod = map(map(only("Deployment").get("spec")).get("template"));
        Map<String, Object> podSpec = map(pod.get("spec"));
        Map<String, Object> container = map(list(podSpec.get("containers")).get(0));
        Properties settings = new Properties();
        settings.load(Files.newBufferedReader(Path.of("config", "application.properties")));
        String dockerfile = Files.readString(Path.of("Dockerfile"));

        Map<String, Integer> ports = containerPorts(container);
        assertEquals(defaultOf(settings.getProperty("camel.server.port")), ports.get("business"));
        assertEquals(defaultOf(settings.getProperty("camel.management.port")), ports.get("management"));
        assertEquals("/observe/health/live", path(container.get("livenessProbe")));
        assertEquals("/observe/health/ready", path(container.get("readinessProbe")));
        assertTrue(((Number) podSpec.get("terminationGracePeriodSeconds")).intValue()
                > Integer.parseInt(settings.getProperty("camel.main.shutdown-timeout").trim()),
                "the grace period outlasts the shutdown timeout");

        Map<String, Object> podSecurity = map(podSpec.get("securityContext"));
        Map<String, Object> security = map(container.get("securityContext"));
        assertEquals(Boolean.TRUE, podSecurity.get("runAsNonRoot"));
        assertTrue(dockerfile.contains("USER " + podSecurity.get("runAsUser") + ":" + podSecurity.get("runAsGroup")),
                "the image's user");
        assertEquals(Boolean.TRUE, security.get("readOnlyRootFilesystem"));
        assertEquals(Boolean.FALSE, security.get("allowPrivilegeEscalation"));
        assertEquals(List.of("ALL"), strings(map(security.get("capabilities")).get("drop")));
        assertNotNull(map(map(container.get("resources")).get("limits")).get("memory"), "a memory limit");

        // the runtime stage's folder: the last WORKDIR of the Dockerfile
        Matcher workdirs = Pattern.compile("(?m)^WORKDIR (\\S+)$").matcher(dockerfile);
        String workdir = null;
        while (workdirs.find()) {
            workdir = workdirs.group(1);
        }
        Set<String> mounts = new HashSet<>();
        list(container.get("volumeMounts")).forEach(mount -> mounts.add((String) map(mount).get("mountPath")));
        assertTrue(mounts.containsAll(Set.of(workdir + "/data", workdir + "/config", "/tmp")),
                "writable data and /tmp, the settings file where the service reads it: " + mounts);
    }

    @Test
    void servicesPoliciesAndBudgetSelectThePodsAndTheirPorts() {
        Map<String, Object> pod = map(map(only("Deployment").get("spec")).get("template"));
        Map<String, Object> labels = map(map(pod.get("metadata")).get("labels"));
        Set<String> portNames = containerPorts(map(list(map(pod.get("spec")).get("containers")).get(0))).keySet();
        for (Map<String, Object> object : OBJECTS) {
            Map<String, Object> spec = object.get("spec") == null ? Map.of() : map(object.get("spec"));
            switch ((String) object.get("kind")) {
                case "Service" -> {
                    assertEquals(labels, map(spec.get("selector")));
                    list(spec.get("ports")).forEach(port -> assertTrue(portNames.contains(map(port).get("targetPort")),
                            "Service port " + port));
                }
                case "PodDisruptionBudget" -> assertEquals(labels, map(map(spec.get("selector")).get("matchLabels")));
                case "NetworkPolicy" -> {
                    assertEquals(labels, map(map(spec.get("podSelector")).get("matchLabels")));
                    for (Object rule : list(spec.get("ingress"))) {
                        list(map(rule).get("ports")).forEach(port -> assertTrue(
                                portNames.contains(map(port).get("port")), "ingress to a named port: " + port));
                    }
                }
                default -> { }
            }
        }
    }

    /**
     * Every variable the replicas get is one README documents; the ConfigMaps and the Secret they read are in the
     * manifests or made by the README's commands, with every key the Deployment asks for.
     */
    @Test
    void everyVariableIsDocumentedAndEverySourceExists() {
        Map<String, Object> container = map(list(map(map(map(only("Deployment").get("spec")).get("template"))
                .get("spec")).get("containers")).get(0));
        Set<String> variables = new TreeSet<>();
        for (Object source : list(container.get("envFrom"))) {
            String name = (String) map(map(source).get("configMapRef")).get("name");
            Map<String, Object> configMap = OBJECTS.stream().filter(o -> o.get("kind").equals("ConfigMap")
                    && map(o.get("metadata")).get("name").equals(name)).findFirst().orElseThrow();
            variables.addAll(map(configMap.get("data")).keySet());
        }
        for (Object variable : list(container.get("env"))) {
            variables.add((String) map(variable).get("name"));
            Map<String, Object> secret = map(map(map(variable).get("valueFrom")).get("secretKeyRef"));
            assertTrue(readme.contains("kubectl create secret generic " + secret.get("name")), "README makes "
                    + secret.get("name"));
            assertTrue(readme.contains("--from-literal=" + secret.get("key") + "="), "README sets " + secret);
        }
        for (String variable : variables) {
            assertTrue(readme.contains("`" + variable + "`"), variable + " is documented in README");
        }
        for (Object volume : list(map(map(map(only("Deployment").get("spec")).get("template")).get("spec"))
                .get("volumes"))) {
            Object configMap = map(volume).get("configMap");
            if (configMap != null) {
                assertTrue(readme.contains("kubectl create configmap " + map(configMap).get("name")),
                        "README makes " + configMap);
            }
        }
    }

    private static Map<String, Object> only(String kind) {
        List<Map<String, Object>> found = OBJECTS.stream().filter(o -> o.get("kind").equals(kind)).toList();
        assertEquals(1, found.size(), "one " + kind);
        return found.get(0);
    }

    private static Map<String, Integer> containerPorts(Map<String, Object> container) {
        Map<String, Integer> ports = new java.util.HashMap<>();
        list(container.get("ports")).forEach(port -> ports.put((String) map(port).get("name"),
                ((Number) map(port).get("containerPort")).intValue()));
        return ports;
    }

    private static String path(Object probe) {
        return (String) map(map(probe).get("httpGet")).get("path");
    }

    /** The default of a {@code {{env:NAME:default}}} setting, or the setting itself. */
    private static Integer defaultOf(String setting) {
        Matcher placeholder = Pattern.compile("\\{\\{env:[A-Z_]+:([^}]*)}}").matcher(setting.trim());
        return Integer.valueOf(placeholder.matches() ? placeholder.group(1) : setting.trim());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertTrue(value instanceof Map, "a mapping: " + value);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertTrue(value instanceof List, "a list: " + value);
        return (List<Object>) value;
    }

    private static List<String> strings(Object value) {
        return list(value).stream().map(String::valueOf).toList();
    }
}
