package io.recordingexporter.wiring;

import io.recordingexporter.audit.AuditTrail;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Who this process is among the replicas, and the lock that keeps any other process out of its local data. The id
 * names the leases this process holds in the shared ledger and its spool folder: {@code EXPORTER_NODE_ID} when set,
 * else the id its data was given at the first start (the host name and a random part); either is kept in the audit
 * folder's {@code node-id} file, so a restart on the same data resumes its own leases at once, two processes never share
 * an id, and the folder says whose chain it holds (its digests in S3 are found by it). The lock is on the audit folder, whose hash chain only one writer may extend: a second process pointed at the
 * same folder refuses to start, naming the process that holds it. The operating system releases the lock when the
 * process dies, however it dies.
 */
public final class NodeIdentity implements AutoCloseable {

    static final String LOCK_FILE = "exporter.lock";
    static final String ID_FILE = AuditTrail.NODE_ID_FILE;

    private final String id;
    private final FileChannel channel;
    private final FileLock lock;

    private NodeIdentity(String id, FileChannel channel, FileLock lock) {
        this.id = id;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the audit folder for this process, or refuses ({@link DataFolderInUseException}) when another has it. */
    public static NodeIdentity claim(Path auditDir, String configuredId) throws IOException {
        Files.createDirectories(auditDir);
        Path lockFile = auditDir.resolve(LOCK_FILE);
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new DataFolderInUseException("another exporter process is using " + auditDir.toAbsolutePath()
                    + " (" + Files.readString(lockFile, StandardCharsets.UTF_8).strip() + "); each replica needs "
                    + "its own data folder (EXPORTER_AUDIT_DIR, EXPORTER_SPOOL_DIR), and a second process on the same "
                    + "one would fork its audit chain");
        }
        String id = configuredId == null || configuredId.isBlank() ? storedOrNewId(auditDir) : configuredId.strip();
        // the folder names its node, whether set or made: verify-audit picks this chain's digests by it
        if (!id.equals(AuditTrail.nodeIdOf(auditDir))) {
            writeId(auditDir, id);
        }
        byte[] holder = ("pid " + ManagementFactory.getRuntimeMXBean().getPid() + ", node " + id + ", since "
                + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(holder), 0);
        channel.force(false);
        return new NodeIdentity(id, channel, lock);
    }

    private static String storedOrNewId(Path auditDir) throws IOException {
        String stored = AuditTrail.nodeIdOf(auditDir);
        if (stored != null) {
            return stored;
        }
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        return InetAddress.getLocalHost().getHostName() + "-" + HexFormat.of().formatHex(random);
    }

    private static void writeId(Path auditDir, String id) throws IOException {
        Path file = auditDir.resolve(ID_FILE);
        Path temporary = file.resolveSibling(ID_FILE + ".tmp");
        Files.writeString(temporary, id + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public String id() {
        return id;
    }

    /** Lets the next process in (at a clean stop; a dead process's lock goes with it). */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    /** The audit folder is another process's: this one does not start. */
    public static final class DataFolderInUseException extends IllegalStateException {

        DataFolderInUseException(String message) {
            super(message);
        }
    }
}
