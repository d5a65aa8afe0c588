package io.recordingexporter.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One process per data folder, and an id per data folder that survives restarts. */
class NodeIdentityTest {

    @TempDir
    Path dir;

    @Test
    void anUnsetIdIsTheDataFoldersOwnKeptAcrossRestartsAndDifferentForAnotherFolder() throws Exception {
        String first;
        try (NodeIdentity node = NodeIdentity.claim(dir.resolve("audit"), "")) {
            first = node.id();
        }
        try (NodeIdentity restarted = NodeIdentity.claim(dir.resolve("audit"), " ")) {
            assertEquals(first, restarted.id(), "a restart on the same data resumes its own leases");
        }
        try (NodeIdentity other = NodeIdentity.claim(dir.resolve("other-audit"), null)) {
            assertNotEquals(first, other.id(), "another replica's data, another id");
        }
        assertEquals(first, Files.readString(dir.resolve("audit").resolve(NodeIdentity.ID_FILE)).strip());
    }

    @Test
    void aSetIdWins() throws Exception {
        try (NodeIdentity node = NodeIdentity.claim(dir.resolve("audit"), "replica-7")) {
            assertEquals("replica-7", node.id());
        }
    }

    @Test
    void aSecondClaimOfAHeldFolderIsRefusedNamingTheHolderAndSucceedsOnceReleased() throws Exception {
        NodeIdentity holder = NodeIdentity.claim(dir.resolve("audit"), "replica-a");
        NodeIdentity.DataFolderInUseException refused = assertThrows(NodeIdentity.DataFolderInUseException.class,
                () -> NodeIdentity.claim(dir.resolve("audit"), "replica-b"));
        assertTrue(refused.getMessage().contains("node replica-a") && refused.getMessage().contains("pid "),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("EXPORTER_AUDIT_DIR"), "says what to change: " + refused.getMessage());
        holder.close();
        try (NodeIdentity next = NodeIdentity.claim(dir.resolve("audit"), "replica-b")) {
            assertEquals("replica-b", next.id());
        }
    }
}
