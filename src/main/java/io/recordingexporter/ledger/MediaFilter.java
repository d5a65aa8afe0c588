package io.recordingexporter.ledger;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The media a conversation is listed for: a backfill may ask for some (comma-separated recording media), every other
 * intake for all (null). A conversation wanted by several intakes is listed for what any of them wants.
 */
final class MediaFilter {

    private MediaFilter() {}

    /** What a conversation listed for {@code listedFor} must be listed for once an intake asks for {@code asked}. */
    static String widened(String listedFor, String asked) {
        if (listedFor == null || asked == null) {
            return null;
        }
        Set<String> media = new LinkedHashSet<>(Arrays.asList(listedFor.split(",")));
        media.addAll(Arrays.asList(asked.split(",")));
        return String.join(",", media);
    }
}
