package io.recordingexporter.settings;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every setting the service's Java reads, typed and grouped by concern, read once at start through Camel's property
 * resolution (the routes read their own keys as placeholders). A bad value stops the start with a message per key.
 */
public record ExporterSettings(LedgerSettings ledger, GenesysSettings genesys, DiscoverySettings discovery,
        Map<String, LaneSettings> lanes, StorageSettings storage, AuditSettings audit, RetrySettings retry,
        IntakeSettings intake, ServiceNowSettings serviceNow) {

    /**
     * Reads and validates; {@code lanes} are the router's lane names, {@code failureClassKeys} the failure classes
     * that may have a backoff of their own, {@code maxBatchSize} what one batch download takes.
     */
    public static ExporterSettings read(Function<String, Optional<String>> resolve, List<String> lanes,
            List<String> failureClassKeys, int maxBatchSize) {
        SettingsReader settings = new SettingsReader(resolve);
        ExporterSettings read = new ExporterSettings(LedgerSettings.read(settings), GenesysSettings.read(settings),
                DiscoverySettings.read(settings, maxBatchSize),
                lanes.stream().collect(Collectors.toMap(lane -> lane, lane -> LaneSettings.read(settings, lane),
                        (a, b) -> a, java.util.LinkedHashMap::new)),
                StorageSettings.read(settings), AuditSettings.read(settings),
                RetrySettings.read(settings, failureClassKeys), IntakeSettings.read(settings),
                ServiceNowSettings.read(settings));
        // log4j2.xml reads EXPORTER_LOG_FORMAT itself; an unknown format would leave the service without logs
        String logFormat = settings.optional("exporter.log.format");
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            settings.problem("exporter.log.format (EXPORTER_LOG_FORMAT) must be text or json, not '" + logFormat + "'");
        }
        settings.requireValid();
        return read;
    }
}
