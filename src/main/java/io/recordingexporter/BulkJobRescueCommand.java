package io.recordingexporter;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.recordingexporter.audit.AuditTrail;
import io.recordingexporter.discovery.BulkJobRescue;
import io.recordingexporter.intake.WebhookRejectedException;
import io.recordingexporter.ledger.BulkRescues;
import io.recordingexporter.metrics.ExportMetrics;
import io.recordingexporter.settings.ExporterSettings;
import io.recordingexporter.wiring.AuditWiring;
import io.recordingexporter.wiring.GenesysWiring;
import io.recordingexporter.wiring.LedgerWiring;
import io.recordingexporter.wiring.NodeIdentity;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.support.SimpleRegistry;

/**
 * {@code rescue-bulk-job --job <id> [--dry-run]}: what {@code POST /rescues} does, from the command line. It reads the
 * Genesys bulk export job and its failed recordings through the SDK, then records the rescue in the service's ledger
 * and the RECEIVED entries in its audit trail (source {@code bulk-job:{id}}); the service exports them when it runs.
 * It claims the service's data folder as the service does, so it refuses to run beside a service on the same folder
 * (use {@code POST /rescues} then). {@code --dry-run} prints the failed recordings, one per line, and opens neither
 * the ledger nor the trail. Exit codes: 0 done, 2 refused or could not (the message says which).
 */
public final class BulkJobRescueCommand {

    static final String USAGE = "usage: rescue-bulk-job --job <bulk job id> [--dry-run]";

    private BulkJobRescueCommand() {}

    public static int run(List<String> args, ExporterSettings settings, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(args);
        boolean dryRun = rest.remove("--dry-run");
        int at = rest.indexOf("--job");
        if (at < 0 || at + 1 >= rest.size() || rest.size() != 2) {
            err.println(USAGE);
            return 2;
        }
        Clock clock = Clock.systemUTC();
        try {
            String jobId = BulkJobRescue.jobId(rest.get(at + 1));
            return dryRun ? dryRun(jobId, settings, clock, out) : rescue(jobId, settings, clock, out);
        } catch (WebhookRejectedException e) {
            err.println("rescue-bulk-job: " + e.getMessage() + "; nothing was queued");
            return 2;
        } catch (NodeIdentity.DataFolderInUseException e) {
            err.println("rescue-bulk-job: " + e.getMessage() + ". A running service takes the rescue as POST /rescues;"
                    + " nothing was queued");
            return 2;
        } catch (Exception e) {
            err.println("rescue-bulk-job: could not rescue (" + e.getMessage() + "); nothing was queued");
            return 2;
        }
    }

    private static int dryRun(String jobId, ExporterSettings settings, Clock clock, PrintStream out) throws Exception {
        BulkJobRescue.Rescue rescue = new BulkJobRescue(GenesysWiring.readOnly(settings.genesys(), clock), null)
                .find(jobId);
        for (BulkRescues.FailedRecording failed : rescue.failed()) {
            out.println("conversation " + failed.conversationId() + " recording " + failed.recordingId());
        }
        out.println("rescue-bulk-job " + jobId + " --dry-run: " + rescue.failed().size() + " failed recording(s) in "
                + rescue.conversations().size() + " conversation(s) would be queued; nothing was queued");
        return 0;
    }

    private static int rescue(String jobId, ExporterSettings settings, Clock clock, PrintStream out) throws Exception {
        try (NodeIdentity node = NodeIdentity.claim(Path.of(settings.audit().dir()), settings.ledger().nodeId())) {
            SimpleRegistry registry = new SimpleRegistry();
            LedgerWiring ledger = LedgerWiring.open(settings.ledger(), node.id(), clock, registry);
            try (var dataSource = ledger.dataSource()) {
                GenesysWiring genesys = GenesysWiring.connect(settings.genesys(), ledger,
                        new ExportMetrics(new SimpleMeterRegistry(), clock, ExporterBeans.LANES), clock, registry);
                BulkJobRescue.Rescued rescued = new BulkJobRescue(genesys.genesys(), ledger.ledger().rescues())
                        .rescueJob(jobId);
                try (AuditTrail trail = new AuditTrail(Path.of(settings.audit().dir()), clock,
                        AuditWiring.chainCopy(ledger, clock))) {
                    trail.record("RECEIVED", rescued.intake());
                    trail.copyPending(); // a shared ledger keeps every replica's chain: this one's entries too
                }
                out.println("rescue-bulk-job " + jobId + ": " + rescued.reply());
                return 0;
            }
        }
    }

    /** The command line's entry: the service's settings from its configuration and environment. */
    static int main(String[] args) {
        return run(Arrays.asList(args), ExporterBeans.settingsFromConfiguration(), System.out, System.err);
    }
}
