package io.recordingexporter.genesys;

import java.io.IOException;

/**
 * A download through a batch link failed for another reason than the link being refused (host unreachable, connection
 * dropped, 5xx). The failure keeps its own class (its cause decides); the link is not reused after the attempt.
 */
public class MediaLinkFailedException extends IOException {

    public MediaLinkFailedException(IOException cause) {
        super(cause.getMessage(), cause);
    }
}
