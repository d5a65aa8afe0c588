package io.recordingexporter;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * What {@code --sandbox} hands the command line to: the sandbox (simulated Genesys, S3 and ServiceNow), which is built
 * apart from the service and depends on it, never the other way round. The service finds it on its own class path
 * (tests) or as {@code sandbox/recording-exporter-sandbox.jar} with its {@code sandbox/lib/} beside the service jar
 * (a build); the service image has neither, and then {@code --sandbox} is refused with a clear message.
 */
public interface SandboxLauncher {

    /** The sandbox jar, relative to the folder of the service jar. */
    String JAR = "sandbox/recording-exporter-sandbox.jar";

    /** Runs {@code args} (the command line without {@code --sandbox}) against the sandbox; returns the exit code. */
    int launch(List<String> args) throws Exception;

    /** The sandbox of this class path, else the one beside the service jar; empty when there is none. */
    static Optional<SandboxLauncher> find() throws IOException {
        Optional<SandboxLauncher> onClassPath = ServiceLoader.load(SandboxLauncher.class).findFirst();
        if (onClassPath.isPresent()) {
            return onClassPath;
        }
        Path jar = besideServiceJar();
        if (jar == null || !Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        List<URL> classPath = new ArrayList<>();
        classPath.add(jar.toUri().toURL());
        Path lib = jar.resolveSibling("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                for (Path library : jars.filter(path -> path.toString().endsWith(".jar")).sorted().toList()) {
                    classPath.add(library.toUri().toURL());
                }
            }
        }
        // parent first: the service's classes and libraries are shared; the sandbox adds its jar and its lib/
        URLClassLoader loader = new URLClassLoader(classPath.toArray(URL[]::new), SandboxLauncher.class.getClassLoader());
        return ServiceLoader.load(SandboxLauncher.class, loader).findFirst();
    }

    /** Where the sandbox jar is expected, for messages; null when the service does not run from a jar. */
    static Path besideServiceJar() {
        try {
            Path service = Path.of(SandboxLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(service) ? service.resolveSibling(JAR) : null;
        } catch (Exception e) {
            return null;
        }
    }
}
