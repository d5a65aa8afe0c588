package io.recordingexporter.settings;

import java.util.List;

/** The configuration has bad values: each is named, and the service does not start. */
public final class InvalidSettingsException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidSettingsException(List<String> problems) {
        super("configuration: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
