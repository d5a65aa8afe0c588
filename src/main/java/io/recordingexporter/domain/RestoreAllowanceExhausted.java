package io.recordingexporter.domain;

/**
 * The share of the org's restorations the exporter may spend is used up ({@code remaining} of {@code max} left,
 * {@code maxShare} its share): archived recordings wait, {@code item} the one that found it so.
 */
public record RestoreAllowanceExhausted(RecordingItem item, Integer remaining, Integer max, double maxShare) {}
