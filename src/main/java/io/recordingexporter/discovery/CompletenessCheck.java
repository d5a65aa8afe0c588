package io.recordingexporter.discovery;

import com.mypurecloud.sdk.v2.ApiException;
import com.mypurecloud.sdk.v2.model.BatchDownloadJobResult;
import com.mypurecloud.sdk.v2.model.BatchDownloadRequest;
import io.recordingexporter.genesys.BatchDownloads;
import io.recordingexporter.genesys.GenesysRecordings;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Accounted for, not only intact: asks Genesys which recordings the conversations of a range have, and reports each
 * one the exporter does not hold. The conversations with recordings come from the synchronous details query (100 a
 * page; an interval with more than it pages through is split), their recordings from batch downloads of 100 whole
 * conversations (a listing, no media is fetched); each recording must be STORED in the ledger and its object present
 * in S3. Reads only. The calls: one per page of 100 conversations, and one batch download (a submit and a few status
 * reads) per 100 conversations.
 */
public final class CompletenessCheck {

    private static final int PAGE_SIZE = 100;
    /** Results past this many in one interval are not paged by Genesys: the interval is split instead. */
    private static final int MAX_PAGED_RESULTS = 10_000;
    private static final int BAD_REQUEST = 400;

    /** A recording Genesys has that the export lacks, and what the ledger knows of it (null: nothing). */
    public record NotExported(String conversationId, String recordingId, String ledgerState, String why) {

        @Override
        public String toString() {
            return "NOT-EXPORTED " + recordingId + " (conversation " + conversationId + "): " + why;
        }
    }

    public record Report(int conversations, int recordings, List<NotExported> missing) {

        public boolean complete() {
            return missing.isEmpty();
        }
    }

    private final GenesysRecordings genesys;
    private final BatchDownloads batchDownloads;
    private final io.recordingexporter.genesys.GenesysRateBudget budget;
    private final Connection ledger;
    private final S3Client s3;
    private final String bucket;

    private CompletenessCheck(GenesysRecordings genesys, BatchDownloads batchDownloads,
            io.recordingexporter.genesys.GenesysRateBudget budget, Connection ledger, S3Client s3, String bucket) {
        this.genesys = genesys;
        this.batchDownloads = batchDownloads;
        this.budget = budget;
        this.ledger = ledger;
        this.s3 = s3;
        this.bucket = bucket;
    }

    /**
     * A check that talks to Genesys at {@code apiBaseUrl} as {@code clientId} (token from {@code loginBaseUrl}), with
     * a budget of its own of {@code callsPerMinute}, beside whatever budget a running service spends.
     */
    public static CompletenessCheck connect(String apiBaseUrl, String loginBaseUrl, String clientId, String clientSecret,
            int callsPerMinute, Connection ledger, S3Client s3, String bucket) {
        java.time.Clock clock = java.time.Clock.systemUTC();
        Duration timeout = Duration.ofSeconds(30);
        var tokens = new io.recordingexporter.genesys.GenesysTokenSource(loginBaseUrl, clientId, clientSecret,
                Duration.ofMinutes(5), timeout, clock);
        var budget = new io.recordingexporter.genesys.GenesysRateBudget(callsPerMinute,
                Math.max(1, Math.min(10, callsPerMinute / 6)), clock);
        GenesysRecordings genesys = new GenesysRecordings(apiBaseUrl, tokens, budget,
                new io.recordingexporter.resilience.CircuitBreaker("genesys", 5, Duration.ofSeconds(15), clock),
                (int) timeout.toMillis(), "WAV", clock);
        BatchDownloads listings = new BatchDownloads(genesys, new io.recordingexporter.genesys.GenesysJobWait(
                Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofMinutes(15), clock), Duration.ofHours(1),
                Duration.ZERO, clock);
        return new CompletenessCheck(genesys, listings, budget, ledger, s3, bucket);
    }

    /** Genesys calls this check has made. */
    public long callsMade() {
        return budget.granted();
    }

    public Report between(Instant from, Instant to) throws IOException, ApiException, SQLException {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(recordedConversations(from, to)));
        int recordings = 0;
        List<NotExported> missing = new ArrayList<>();
        for (int at = 0; at < ids.size(); at += BatchDownloads.MAX_REQUESTS) {
            List<String> chunk = ids.subList(at, Math.min(ids.size(), at + BatchDownloads.MAX_REQUESTS));
            Map<String, String> listed = listRecordings(chunk);
            recordings += listed.size();
            Map<String, String[]> known = ledgerRows(listed.keySet());
            Set<String> skipped = skippedNotHeld(Set.copyOf(listed.values()));
            for (Map.Entry<String, String> recording : listed.entrySet()) {
                String[] row = known.get(recording.getKey());
                if (row == null && skipped.contains(recording.getValue())) {
                    missing.add(new NotExported(recording.getValue(), recording.getKey(), "SKIPPED",
                            "a legalHoldOnly export skipped its conversation: not under legal hold"));
                } else if (row == null) {
                    missing.add(new NotExported(recording.getValue(), recording.getKey(), null,
                            "Genesys lists it, the ledger does not know it"));
                } else if (!"STORED".equals(row[0]) || row[1] == null) {
                    missing.add(new NotExported(recording.getValue(), recording.getKey(), row[0],
                            "Genesys lists it, the ledger has it " + row[0]));
                } else if (!inS3(row[1])) {
                    missing.add(new NotExported(recording.getValue(), recording.getKey(), row[0],
                            "STORED in the ledger, but s3://" + bucket + "/" + row[1] + " is not there"));
                }
            }
        }
        return new Report(ids.size(), recordings, missing);
    }

    /**
     * Every recorded conversation that started in {@code [from, to)}. An interval Genesys refuses (too long for one
     * query) or too full to page is split in two, as often as it takes.
     */
    private List<String> recordedConversations(Instant from, Instant to) throws IOException, ApiException {
        boolean divisible = Duration.between(from, to).toSeconds() > 1;
        GenesysRecordings.ConversationPage first;
        try {
            first = genesys.recordedConversations(from, to, PAGE_SIZE, 1);
        } catch (ApiException e) {
            if (e.getStatusCode() != BAD_REQUEST || !divisible) {
                throw e;
            }
            return split(from, to);
        }
        if (first.totalHits() > MAX_PAGED_RESULTS && divisible) {
            return split(from, to);
        }
        List<String> ids = new ArrayList<>(first.conversationIds());
        int pages = (first.totalHits() + PAGE_SIZE - 1) / PAGE_SIZE;
        for (int page = 2; page <= pages; page++) {
            List<String> next = genesys.recordedConversations(from, to, PAGE_SIZE, page).conversationIds();
            if (next.isEmpty()) {
                break; // fewer than counted: past the last page the SDK gives an empty list
            }
            ids.addAll(next);
        }
        return ids;
    }

    private List<String> split(Instant from, Instant to) throws IOException, ApiException {
        Instant middle = from.plus(Duration.between(from, to).dividedBy(2));
        List<String> both = new ArrayList<>(recordedConversations(from, middle));
        both.addAll(recordedConversations(middle, to));
        return both;
    }

    /** The recordings Genesys lists for these conversations (one batch download), recording id to conversation id. */
    private Map<String, String> listRecordings(List<String> conversationIds) throws IOException, ApiException {
        List<BatchDownloadRequest> requests = new ArrayList<>();
        conversationIds.forEach(id -> requests.add(BatchDownloads.wholeConversation(id)));
        Map<String, String> recordings = new LinkedHashMap<>();
        for (BatchDownloadJobResult result : batchDownloads.download(requests).results()) {
            if (result.getRecordingId() != null) {
                recordings.put(result.getRecordingId(), result.getConversationId());
            }
        }
        return recordings;
    }

    /** Ledger state and S3 key of each recording the ledger knows. */
    /** Which of the conversations a legal-hold-only backfill skipped as not held. */
    private Set<String> skippedNotHeld(Set<String> conversationIds) throws SQLException {
        Set<String> skipped = new java.util.HashSet<>();
        if (conversationIds.isEmpty()) {
            return skipped;
        }
        String marks = String.join(",", Collections.nCopies(conversationIds.size(), "?"));
        try (PreparedStatement select = ledger.prepareStatement("SELECT conversation_id FROM conversation_work"
                + " WHERE skipped_not_held = TRUE AND conversation_id IN (" + marks + ")")) {
            int index = 1;
            for (String id : conversationIds) {
                select.setString(index++, id);
            }
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    skipped.add(result.getString(1));
                }
            }
        }
        return skipped;
    }

    private Map<String, String[]> ledgerRows(Set<String> recordingIds) throws SQLException {
        Map<String, String[]> rows = new LinkedHashMap<>();
        if (recordingIds.isEmpty()) {
            return rows;
        }
        String marks = String.join(",", Collections.nCopies(recordingIds.size(), "?"));
        try (PreparedStatement select = ledger.prepareStatement(
                "SELECT recording_id, state, s3_key FROM recording_item WHERE recording_id IN (" + marks + ")")) {
            int index = 1;
            for (String id : recordingIds) {
                select.setString(index++, id);
            }
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.put(result.getString(1), new String[] {result.getString(2), result.getString(3)});
                }
            }
        }
        return rows;
    }

    private boolean inS3(String key) {
        try {
            s3.headObject(request -> request.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
