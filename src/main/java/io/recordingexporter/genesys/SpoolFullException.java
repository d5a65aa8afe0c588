package io.recordingexporter.genesys;

import java.io.IOException;

/**
 * The spool's disk has too little free space for this download (EXPORTER_SPOOL_MIN_FREE_MIB): the ledger and the
 * audit trail share that disk, so the download waits rather than fill it.
 */
public class SpoolFullException extends IOException {

    public SpoolFullException(String message) {
        super(message);
    }
}
