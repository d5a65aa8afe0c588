package io.recordingexporter.custody;

import java.util.function.Supplier;

/**
 * What a server does, found out by a probe on first use and remembered: S3 may be down at start-up, so a probe that
 * throws is simply run again on the next use.
 */
final class ProbedOnce<T> {

    private final Supplier<T> probe;
    private volatile T answer;

    ProbedOnce(Supplier<T> probe) {
        this.probe = probe;
    }

    /** The answer if a probe has given one, else null (without probing). */
    T known() {
        return answer;
    }

    T get() {
        T known = answer;
        if (known == null) {
            synchronized (this) {
                if (answer == null) {
                    answer = probe.get();
                }
                known = answer;
            }
        }
        return known;
    }
}
