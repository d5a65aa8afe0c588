package io.recordingexporter.custody;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recordingexporter.ledger.CustodyRecords;
import io.recordingexporter.ledger.CustodyRecords.StaleSidecar;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;

/**
 * A legal hold that arrives after a recording was exported (deletion protection put on later, a webhook or a relisting
 * that brings the hold) changes what S3 says about it: the sidecar gets a new version naming the hold, its sources and
 * the audit entry that records the change ({@code custody.legalHoldUpdate}); the media object is never rewritten (its
 * Object Lock hold is {@link ObjectLegalHolds}'s). The new version is written after its SIDECAR_UPDATED entry is on the
 * trail, with an Object Lock legal hold where holds are on; then the ledger notes it. A sidecar already saying the hold
 * is only noted.
 */
public class HeldSidecars {

    private static final int PER_RUN = 200;

    /** A sidecar to be written anew: the current document with the hold, and (once audited) that entry's hash. */
    public record SidecarRewrite(String recordingId, String conversationId, String lane, String sidecarKey,
            String previousVersionId, String legalHoldSource, ObjectNode document, String auditEntryHash) {

        public SidecarRewrite withAuditEntryHash(String hash) {
            return new SidecarRewrite(recordingId, conversationId, lane, sidecarKey, previousVersionId,
                    legalHoldSource, document, hash);
        }
    }

    private final SidecarWriter sidecars;
    private final ObjectLock objectLock;
    private final CustodyRecords ledger;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public HeldSidecars(SidecarWriter sidecars, ObjectLock objectLock, CustodyRecords ledger,
            Clock clock) {
        this.sidecars = sidecars;
        this.objectLock = objectLock;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Stored recordings under hold whose sidecar may not say so. */
    public List<StaleSidecar> pending() {
        return ledger.storedWithStaleSidecar(PER_RUN);
    }

    /** Where the sidecar of a stale one is: beside its media object. */
    public String sidecarKey(StaleSidecar stale) {
        return S3KeyLayout.sidecarKeyBeside(stale.s3Key(), stale.recordingId());
    }

    /**
     * The new sidecar for a stale one, from the sidecar as S3 has it now ({@code current}, its latest version, which
     * this closes); null when it already states the hold (the ledger notes that, and nothing is written).
     */
    public SidecarRewrite rewrite(StaleSidecar stale, InputStream current, String version) throws IOException {
        String key = sidecarKey(stale);
        ObjectNode document;
        try (current) {
            document = (ObjectNode) json.readTree(current);
        }
        ObjectNode custody = document.with("custody");
        if (custody.path("legalHold").asBoolean(false)) {
            ledger.markSidecarHeld(stale.recordingId(), version);
            return null;
        }
        custody.put("legalHold", true);
        custody.put("legalHoldSource", stale.legalHoldSource());
        if (objectLock.holds()) {
            custody.put("objectLockLegalHold", "ON");
        }
        ObjectNode update = custody.putObject("legalHoldUpdate");
        update.put("at", clock.instant().toString());
        update.put("sources", stale.legalHoldSource());
        update.put("previousSidecarVersionId", version);
        return new SidecarRewrite(stale.recordingId(), stale.conversationId(), stale.lane(), key, version,
                stale.legalHoldSource(), document, null);
    }

    /** Writes the new version, naming its audit entry, then notes it in the ledger. */
    public void write(SidecarRewrite rewrite) throws IOException {
        JsonNode update = rewrite.document().path("custody").path("legalHoldUpdate");
        ((ObjectNode) update).put("auditEntryHash", rewrite.auditEntryHash());
        String version = sidecars.put(rewrite.sidecarKey(), rewrite.document(), objectLock.holds());
        ledger.markSidecarHeld(rewrite.recordingId(), version);
    }
}
