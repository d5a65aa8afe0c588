package io.recordingexporter.sandbox;

import io.recordingexporter.ledger.CustodyStatus;
import io.recordingexporter.ledger.Ledger;
import io.recordingexporter.verification.ExportVerifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's check of its own run, in two parts that each have one owner: the service's own verifier
 * ({@code verify-export}, {@link ExportVerifier}) reads every export back from S3 (media and sidecar hashes, the audit
 * entries they name, the hold each sidecar states), and this compares the ledger with what only the simulator knows:
 * each recording's SHA-256 as Genesys served it and whether its conversation is under legal hold.
 */
final class SandboxVerification {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxVerification.class);
    /** What the verifier says about a recording's bytes and its custody record; the hold findings count apart. */
    private static final Set<String> HOLD_KINDS = Set.of("HOLD-SIDECAR", "HOLD-MISSING");

    private SandboxVerification() {
    }

    /** The summary's {@code verification}: verified, mismatched, missing, legalHoldMatched, legalHoldMismatched. */
    static Map<String, Object> of(SimulatedOrg org, Ledger ledger, ExportVerifier.Report exported) {
        return of(org, (conversation, recording) -> true, ledger, exported);
    }

    /** As {@link #of(SimulatedOrg, Ledger, ExportVerifier.Report)} over the recordings the run was to export. */
    static Map<String, Object> of(SimulatedOrg org,
            java.util.function.BiPredicate<SimulatedOrg.Conversation, SimulatedOrg.Recording> expected, Ledger ledger,
            ExportVerifier.Report exported) {
        Map<String, List<ExportVerifier.Finding>> findings = exported.findings().stream()
                .filter(finding -> finding.recordingId() != null)
                .collect(Collectors.groupingBy(ExportVerifier.Finding::recordingId));
        // objects in a conversation's folder that the ledger does not know
        long extra = exported.findings().stream().filter(finding -> finding.recordingId() == null)
                .peek(finding -> LOG.error("{}", finding)).count();
        int verified = 0;
        int mismatched = (int) extra;
        int missing = 0;
        int holdsMatched = 0;
        int holdsMismatched = 0;
        for (SimulatedOrg.Conversation conversation : org.conversations()) {
            CustodyStatus.ConversationCustody custody = ledger.status().custodyOf(conversation.id());
            for (SimulatedOrg.Recording recording : conversation.recordings()) {
                if (!expected.test(conversation, recording)) {
                    continue;
                }
                CustodyStatus.RecordingCustody item = custody == null ? null : custody.recordings().stream()
                        .filter(i -> recording.id().equals(i.recordingId())).findFirst().orElse(null);
                if (item == null || !"STORED".equals(item.state())) {
                    missing++;
                    continue;
                }
                List<ExportVerifier.Finding> about = findings.getOrDefault(recording.id(), List.of());
                about.forEach(finding -> LOG.error("{}", finding));
                if (holdAsSimulated(conversation, item)
                        && about.stream().noneMatch(finding -> HOLD_KINDS.contains(finding.kind()))) {
                    holdsMatched++;
                } else {
                    holdsMismatched++;
                    LOG.error("Recording {}: legal hold {} ({}) in the ledger, simulator protected={} attribute={}",
                            recording.id(), item.legalHold(), item.legalHoldSource(),
                            conversation.protectedFromDeletion(), conversation.legalHoldAttribute());
                }
                String served = org.sha256Of(recording.id());
                if (served.equals(item.sha256())
                        && about.stream().allMatch(finding -> HOLD_KINDS.contains(finding.kind()))) {
                    verified++;
                } else {
                    mismatched++;
                    LOG.error("Recording {}: the simulator served sha256 {}, the ledger says {}", recording.id(), served,
                            item.sha256());
                }
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("verified", verified);
        result.put("mismatched", mismatched);
        result.put("missing", missing);
        result.put("legalHoldMatched", holdsMatched);
        result.put("legalHoldMismatched", holdsMismatched);
        return result;
    }

    /**
     * The ledger agrees with the simulator: held exactly when the conversation is protected or carries the attribute,
     * and every source named is true (deletion protection only when it is protected, the attribute or the webhook only
     * when it carries the attribute). A source need not be named when another already holds it: the attribute is not
     * read for a conversation already protected. The sidecar's agreement with the ledger is the verifier's finding.
     */
    private static boolean holdAsSimulated(SimulatedOrg.Conversation conversation,
            CustodyStatus.RecordingCustody item) {
        String sources = item.legalHoldSource() == null ? "" : item.legalHoldSource();
        boolean namesProtection = sources.contains("deletion-protection");
        boolean namesAttribute = sources.contains("attribute:") || sources.contains("webhook");
        return item.legalHold() == conversation.legalHold()
                && (!namesProtection || conversation.protectedFromDeletion())
                && (!namesAttribute || conversation.legalHoldAttribute());
    }
}
