package io.recordingexporter.ledger;

/**
 * The claim this worker holds on an item is no longer its own: its lease ran out and another worker (or this node,
 * anew) claimed the item. The worker stops before writing anything; the item belongs to the new claim.
 */
public class LeaseLostException extends RuntimeException {

    private final String itemId;

    public LeaseLostException(String itemId, String what) {
        super("the lease on " + what + " " + itemId + " was lost: another claim holds it now; this attempt stops");
        this.itemId = itemId;
    }

    public String itemId() {
        return itemId;
    }
}
