package io.recordingexporter.audit;

import io.recordingexporter.custody.HeldSidecars;
import io.recordingexporter.custody.ObjectLegalHolds;
import io.recordingexporter.domain.FailedAttempt;
import io.recordingexporter.domain.FetchedRecording;
import io.recordingexporter.domain.LegalHoldApplied;
import io.recordingexporter.domain.RecordingItem;
import io.recordingexporter.domain.Requeued;
import io.recordingexporter.domain.RestoreAllowanceExhausted;
import io.recordingexporter.domain.RestoreRequested;
import io.recordingexporter.intake.IntakeReceipt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place audit entries are made: what each event records about the thing it is about (an intake receipt, a
 * recording, a failed attempt, a hold, a digest), whichever way the event reaches the trail.
 */
public final class AuditEntries {

    private AuditEntries() {}

    /** The entries of an event about whatever the pipeline carries at that point (one per conversation of a receipt). */
    public static List<AuditEntry> about(String event, Object subject) {
        if (subject instanceof IntakeReceipt receipt) {
            return received(event, receipt);
        }
        if (subject instanceof FetchedRecording fetched) {
            return List.of(fetched(event, fetched));
        }
        if (subject instanceof HeldSidecars.SidecarRewrite rewrite) {
            return List.of(sidecarUpdate(event, rewrite));
        }
        if (subject instanceof RecordingItem item) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("media", item.media());
            detail.put("legalHold", item.legalHold());
            return List.of(new AuditEntry(event, item.conversationId(), item.recordingId(), item.lane(), detail));
        }
        if (subject instanceof FailedAttempt failure) {
            return List.of(failed(event, failure));
        }
        if (subject instanceof Requeued requeued) {
            return List.of(new AuditEntry(event, null, requeued.recordingId(), null,
                    Map.of("by", "POST /recordings/{recordingId}/retry")));
        }
        if (subject instanceof LegalHoldApplied hold) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("source", hold.source());
            detail.put("recordingIds", hold.recordingIds());
            return List.of(new AuditEntry(event, hold.conversationId(), null, null, detail));
        }
        if (subject instanceof RestoreRequested restore) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("restoreExpirationTime", restore.restoreExpirationTime().toString());
            detail.put("remainingRestorationsAllowedForOrg", restore.remaining());
            detail.put("maxAllowedRestorationsForOrg", restore.max());
            detail.put("fileState", restore.fileState());
            RecordingItem item = restore.item();
            return List.of(new AuditEntry(event, item.conversationId(), item.recordingId(), item.lane(), detail));
        }
        if (subject instanceof RestoreAllowanceExhausted exhausted) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("remainingRestorationsAllowedForOrg", exhausted.remaining());
            detail.put("maxAllowedRestorationsForOrg", exhausted.max());
            detail.put("maxShare", exhausted.maxShare());
            RecordingItem item = exhausted.item();
            return List.of(new AuditEntry(event, item.conversationId(), item.recordingId(), item.lane(), detail));
        }
        if (subject instanceof ObjectLegalHolds.Held held) {
            return List.of(objectHeld(event, held));
        }
        if (subject instanceof AuditDigests.Published digest) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("digestKey", digest.key());
            detail.put("digestSha256", digest.sha256());
            detail.put("coversSeq", digest.lastSeq());
            if (digest.anchoredFor() != null) {
                detail.put("chainOf", digest.anchoredFor());
            }
            return List.of(new AuditEntry(event, null, null, null, detail));
        }
        throw new IllegalArgumentException("no audit form for " + (subject == null ? "null" : subject.getClass()));
    }

    /** One entry per conversation the intake accepted, and one per conversation it put under hold later. */
    private static List<AuditEntry> received(String event, IntakeReceipt receipt) {
        List<AuditEntry> entries = new ArrayList<>();
        String source = receipt.intakeSource() == null ? "webhook" : receipt.intakeSource();
        for (String conversationId : receipt.acceptedIds()) {
            entries.add(new AuditEntry(event, conversationId, null, null, Map.of("intakeSource", source)));
        }
        // a conversation the ledger had, now under hold because this intake says so
        for (String conversationId : receipt.heldLaterIds()) {
            entries.add(new AuditEntry("LEGAL_HOLD_APPLIED", conversationId, null, null, Map.of("source", source)));
        }
        return entries;
    }

    private static AuditEntry failed(String event, FailedAttempt failure) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("attempt", failure.item().attempts());
        detail.put("error", failure.error());
        detail.put("failureClass", failure.failureClass());
        detail.put("nextAttemptAt", failure.nextAttempt() == null ? null : failure.nextAttempt().toString());
        return new AuditEntry(event, failure.item().conversationId(), failure.item().recordingId(),
                failure.item().lane(), detail);
    }

    private static AuditEntry objectHeld(String event, ObjectLegalHolds.Held held) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("s3Key", held.s3Key());
        detail.put("s3VersionId", held.s3VersionId());
        detail.put("sidecarKey", held.sidecarKey());
        detail.put("objectLockLegalHold", "ON");
        return new AuditEntry(event, held.conversationId(), held.recordingId(), held.lane(), detail);
    }

    /** The subject with the hash of its entry, where it carries one on (for the sidecar that names it). */
    static Object withEntryHash(Object subject, String hash) {
        if (subject instanceof FetchedRecording fetched) {
            return fetched.withAuditEntryHash(hash);
        }
        if (subject instanceof HeldSidecars.SidecarRewrite rewrite) {
            return rewrite.withAuditEntryHash(hash);
        }
        return subject;
    }

    /** A sidecar written anew for a hold that came after the export. */
    private static AuditEntry sidecarUpdate(String event, HeldSidecars.SidecarRewrite rewrite) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("sidecarKey", rewrite.sidecarKey());
        detail.put("previousVersionId", rewrite.previousVersionId());
        detail.put("legalHold", true);
        detail.put("legalHoldSource", rewrite.legalHoldSource());
        return new AuditEntry(event, rewrite.conversationId(), rewrite.recordingId(), rewrite.lane(),
                detail);
    }

    /** A recording fetched, or stored: its bytes as fetched and, once stored, where S3 has them and what it verified. */
    private static AuditEntry fetched(String event, FetchedRecording fetched) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("sha256", fetched.media().sha256Hex());
        detail.put("sizeBytes", fetched.media().sizeBytes());
        detail.put("sourceUriHost", fetched.media().sourceHost());
        if (fetched.stored() != null) {
            detail.put("s3Key", fetched.stored().key());
            detail.put("s3VersionId", fetched.stored().versionId());
            detail.put("serverVerifiedChecksum", fetched.stored().serverChecksum());
            detail.put("adopted", fetched.stored().adopted());
            detail.put("objectLockLegalHold", fetched.stored().objectLegalHold() ? "ON" : "OFF");
        }
        return new AuditEntry(event, fetched.item().conversationId(), fetched.item().recordingId(),
                fetched.item().lane(), detail);
    }
}
