package io.recordingexporter.wiring;

import io.recordingexporter.audit.AuditTrail;
import io.recordingexporter.domain.RestoreAllowance;
import io.recordingexporter.failures.RecordingRestores;
import io.recordingexporter.genesys.GenesysRecordings;
import io.recordingexporter.genesys.MediaDownloader;
import io.recordingexporter.genesys.MediaFetcher;
import io.recordingexporter.genesys.MediaHosts;
import io.recordingexporter.genesys.MediaLinks;
import io.recordingexporter.metrics.ExportMetrics;
import io.recordingexporter.settings.ExporterSettings;
import io.recordingexporter.settings.GenesysSettings;
import io.recordingexporter.settings.LaneSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Media links and downloads. Links are untrusted: allowed hosts only, and per lane a whole-body deadline, an idle
 * timeout and a size cap. The lanes' own Genesys calls leave part of the budget to discovery and expansion, which feed
 * every lane. Each node spools in a folder of its own, so the sweep at start cannot touch another replica's downloads.
 */
public record MediaWiring(MediaDownloader downloader, GenesysRecordings laneGenesys) {

    private static final Logger LOG = LoggerFactory.getLogger(MediaWiring.class);

    public static MediaWiring open(ExporterSettings settings, GenesysWiring genesys, StorageWiring storage,
            LedgerWiring ledger, AuditTrail trail, ExportMetrics metrics, Clock clock, Registry registry)
            throws IOException {
        MediaHosts mediaHosts = MediaHosts.of(settings.genesys().mediaHosts(), settings.genesys().region());
        LOG.info("Media is fetched only from {}", mediaHosts);
        Map<String, MediaDownloader.Limits> limits = new LinkedHashMap<>();
        for (LaneSettings lane : settings.lanes().values()) {
            limits.put(lane.name(), new MediaDownloader.Limits(lane.downloadTimeout(), lane.idleTimeout(),
                    lane.maxBytes()));
        }
        MediaDownloader downloader = new MediaDownloader(mediaHosts, settings.genesys().apiTimeout());
        GenesysRecordings laneGenesys = genesys.genesys().forLanes(settings.genesys().reservedForDiscovery());
        Path spool = Path.of(settings.storage().spoolDir()).resolve(ledger.nodeId().replaceAll("[^A-Za-z0-9._-]", "_"));
        GenesysSettings.Restore restore = settings.genesys().restore();
        RecordingRestores restores = new RecordingRestores(laneGenesys, new RestoreAllowance(restore.maxShare()),
                restore.keepRestored(), ledger.ledger().restoreAllowance(), trail, metrics, clock);
        registry.bind("mediaFetcher", new MediaFetcher(laneGenesys, downloader, spool, limits,
                settings.storage().spoolMinFreeBytes(), clock, storage.serverChecksum()::md5Needed, restores));
        registry.bind("mediaLinks", new MediaLinks(genesys.batchDownloads().through(laneGenesys),
                ledger.ledger().recordings(), clock));
        return new MediaWiring(downloader, laneGenesys);
    }
}
