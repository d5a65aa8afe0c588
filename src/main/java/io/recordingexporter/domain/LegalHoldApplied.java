package io.recordingexporter.domain;

import java.util.List;

/** A conversation that came under legal hold after the exporter had it, with its recordings. */
public record LegalHoldApplied(String conversationId, String source, List<String> recordingIds) {}
