package io.recordingexporter.genesys;

import com.mypurecloud.sdk.v2.ApiException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How the exporter waits for a Genesys job (a batch download, an async conversation details query): the first look
 * after {@code firstPoll}, then a pause that doubles up to {@code maxPoll}, so a slow job costs few calls; a job not
 * done by {@code deadline} is "not ready", to be tried again later.
 */
public class GenesysJobWait {

    /** One look at the job: its result once done, empty while it is still running. */
    @FunctionalInterface
    public interface Look<T> {
        Optional<T> at() throws IOException, ApiException;
    }

    private final Duration firstPoll;
    private final Duration maxPoll;
    private final Duration deadline;
    private final Clock clock;

    public GenesysJobWait(Duration firstPoll, Duration maxPoll, Duration deadline, Clock clock) {
        this.firstPoll = firstPoll;
        this.maxPoll = maxPoll;
        this.deadline = deadline;
        this.clock = clock;
    }

    public <T> T until(String job, Look<T> look) throws IOException, ApiException {
        Instant giveUpAt = clock.instant().plus(deadline);
        Duration pause = firstPoll;
        while (true) {
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + job, e);
            }
            Optional<T> done = look.at();
            if (done.isPresent()) {
                return done.get();
            }
            if (clock.instant().isAfter(giveUpAt)) {
                throw new MediaNotReadyException(job + " was not done after " + deadline.toSeconds() + " s");
            }
            pause = pause.multipliedBy(2).compareTo(maxPoll) > 0 ? maxPoll : pause.multipliedBy(2);
        }
    }
}
