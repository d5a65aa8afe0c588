package io.recordingexporter.domain;

import java.time.Instant;

/**
 * Genesys was asked to restore an archived recording until {@code restoreExpirationTime}; {@code remaining} and
 * {@code max} are the org's restorations as Genesys reported them before, {@code fileState} what it answered.
 */
public record RestoreRequested(RecordingItem item, Instant restoreExpirationTime, Integer remaining, Integer max,
        String fileState) {}
