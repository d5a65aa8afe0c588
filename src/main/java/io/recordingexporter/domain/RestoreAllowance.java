package io.recordingexporter.domain;

/**
 * How much of the org's recording restoration allowance the exporter may spend. Genesys reports it with every
 * recording ({@code maxAllowedRestorationsForOrg}, {@code remainingRestorationsAllowedForOrg}); restorations are
 * scarce and shared with the people who restore recordings by hand, so the exporter spends at most {@code maxShare}
 * of the org's maximum and leaves the rest: it asks while more than {@code max × (1 − maxShare)} remain. Genesys
 * keeps the count, so every replica applies the same rule to the same numbers.
 */
public record RestoreAllowance(double maxShare) {

    public RestoreAllowance {
        if (!(maxShare > 0 && maxShare <= 1)) {
            throw new IllegalArgumentException("the share must be above 0 and at most 1, not " + maxShare);
        }
    }

    /**
     * Whether one more restore may be asked for, given what Genesys reported ({@code null}: not reported). Unknown
     * remaining restorations permit it (Genesys refuses one over its limit); with no maximum reported, any remaining.
     */
    public boolean permits(Integer remaining, Integer max) {
        if (remaining == null) {
            return true;
        }
        if (remaining <= 0) {
            return false;
        }
        return max == null || max <= 0 || remaining > reservedForPeople(max);
    }

    /** Restorations of {@code max} left to people. */
    public long reservedForPeople(int max) {
        return (long) Math.ceil(max * (1 - maxShare) - 1e-9);
    }
}
