package io.recordingexporter.genesys;

import io.recordingexporter.domain.RecordingItem;

/**
 * What a lane does with a recording Genesys holds in its archive: ask for its restore when the allowance permits,
 * and either way answer why it waits ({@link RecordingAwaitsRestoreException}).
 */
@FunctionalInterface
public interface ArchivedRecordings {

    /** Never returns normally for an archived recording: the exception to fail the attempt with. */
    RuntimeException restoreOrWait(RecordingItem item, RecordingArchivedException archived) throws Exception;

}
