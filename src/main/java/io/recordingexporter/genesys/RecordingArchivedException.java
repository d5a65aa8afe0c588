package io.recordingexporter.genesys;

/**
 * Genesys holds the recording in its archive ({@code fileState} ARCHIVED): its media can be had only once it is
 * restored. Carries the org's restoration allowance as the recording reported it ({@code null}: not reported).
 */
public class RecordingArchivedException extends RuntimeException {

    private final transient Integer remainingRestorations;
    private final transient Integer maxRestorations;
    private final transient java.time.Instant reportedAt;

    /** @param reportedAt when the recording was asked for: restores asked for since may not be in the allowance */
    public RecordingArchivedException(String recordingId, Integer remainingRestorations, Integer maxRestorations,
            java.time.Instant reportedAt) {
        super("recording " + recordingId + " is ARCHIVED");
        this.remainingRestorations = remainingRestorations;
        this.maxRestorations = maxRestorations;
        this.reportedAt = reportedAt;
    }

    public java.time.Instant reportedAt() {
        return reportedAt;
    }

    public Integer remainingRestorations() {
        return remainingRestorations;
    }

    public Integer maxRestorations() {
        return maxRestorations;
    }
}
