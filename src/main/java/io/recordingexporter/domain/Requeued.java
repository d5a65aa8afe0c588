package io.recordingexporter.domain;

/** A FAILED recording queued again by a person ({@code POST /recordings/{id}/retry}). */
public record Requeued(String recordingId) {}
