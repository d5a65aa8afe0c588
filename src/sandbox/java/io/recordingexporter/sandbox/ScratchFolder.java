package io.recordingexporter.sandbox;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removal of the folders the sandbox and the tests make under the temporary folder: a run leaves gigabytes there (a
 * 2 GiB recording, whole buckets), so a machine running the suite again and again fills its disk unless each run
 * removes its own.
 */
public final class ScratchFolder {

    private ScratchFolder() {
    }

    /**
     * Deletes a folder and what is in it, if it is there. A process that has only just been stopped may still add a
     * file (the exporter writes a sidecar just after its STORED entry), so the walk is repeated until the folder is gone.
     */
    public static void delete(Path root) throws IOException {
        for (int attempt = 1; Files.exists(root); attempt++) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(each);
                }
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                if (attempt == 10) {
                    throw e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException(interrupted);
                }
            }
        }
    }
}
