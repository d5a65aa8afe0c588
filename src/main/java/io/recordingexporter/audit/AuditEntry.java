package io.recordingexporter.audit;

import java.util.Map;

/** One event for the audit trail before it is chained: what happened, to which conversation and recording, details. */
public record AuditEntry(String event, String conversationId, String recordingId, String lane,
        Map<String, Object> detail) {}
