package io.recordingexporter.audit;

import java.util.List;

/**
 * Where each replica's chain was last anchored (its last digest in S3), kept in the shared ledger when replicas share
 * one: a replica continues its digest chain from there whatever its disk remembers, and a surviving replica anchors
 * the chain of one that went silent with entries no digest vouches for yet.
 */
public interface ChainAnchors {

    /** A digest object: its key and SHA-256. */
    record Anchor(String key, String sha256) {}

    /** A chain whose replica went silent before its last entries were anchored: where it ends, and its last digest. */
    record SilentChain(String nodeId, long lastSeq, String lastHash, Anchor lastDigest) {}

    /** The last digest of {@code nodeId}'s chain; null when the ledger knows none. */
    Anchor last(String nodeId);

    /** Digest {@code anchor} now vouches for {@code nodeId}'s chain up to {@code seq}. */
    void anchored(String nodeId, long seq, Anchor anchor);

    /** The silent chains this replica is to anchor now, each claimed for it so no other replica does the same. */
    List<SilentChain> claimSilentChains();
}
