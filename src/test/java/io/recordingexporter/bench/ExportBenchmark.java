package io.recordingexporter.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.recordingexporter.sandbox.GenesysSimulator;
import io.recordingexporter.sandbox.Sandbox;
import io.recordingexporter.sandbox.SandboxS3;
import io.recordingexporter.sandbox.ScratchFolder;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The benchmark ({@code mvn -B -Pbench verify}): one run, one Genesys simulator and one S3 server (S3Proxy) for every
 * figure, the exporter as users run it (the packaged jar, real mode, its own JVM). Writes
 * {@code target/bench/results.json} and prints a table. Figures only: nothing here asserts a time.
 */
@Tag("benchmark")
class ExportBenchmark {

    private static final Path OUT = Path.of("target/bench");
    private static final String BUCKET = "recordings";
    /**
     * The concurrency the exporter exports this dataset with: the default threads of the lanes it fills (voice 4,
     * screen 2, legal-hold screen 1; the digital lane's 2 have nothing to do here).
     */
    private static final int LANE_THREADS = 7;
    private static final String HEAP = "512m";
    private static final int HISTORY_RECORDINGS = Integer.getInteger("bench.history", 200_000);
    private static final double WEBHOOKS_PER_SECOND = 20;
    /**
     * With the per-conversation legal-hold read (one API call each, 240 a minute in all), webhooks at 20/s queue up
     * for the budget; the defaults are measured at a rate the budget sustains.
     */
    private static final double SUSTAINED_WEBHOOKS_PER_SECOND = 2;
    private static final int WEBHOOK_SECONDS = Integer.getInteger("bench.webhook-seconds", 60);
    /** The 1x dataset (smaller for a quick try of the benchmark itself: -Dbench.voice=60 -Dbench.screens=2). */
    private static final int VOICE = Integer.getInteger("bench.voice", 600);
    private static final int SCREENS = Integer.getInteger("bench.screens", 12);
    /** The parts after the throughput run (which the growth needs): -Dbench.parts=latency to profile one. */
    private static final List<String> PARTS = List.of(System.getProperty("bench.parts", "tutorial,growth,latency,large").split(","));

    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<String> table = new ArrayList<>();
    private Path work;
    private CopyRun voiceOnEmptyLedger;
    private Path s3Folder;
    private GenesysSimulator genesys;
    private SandboxS3 s3;

    @Test
    void exportFigures() throws Exception {
        work = OUT.resolve("work").toAbsolutePath();
        ScratchFolder.delete(work);
        Files.createDirectories(work);
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        BenchDataset.Sizes sizes = BenchDataset.Sizes.THROUGHPUT;
        BenchDataset.Part warmUp = BenchDataset.calls("warm-up", 101, today.minus(Duration.ofDays(13)), 60, 1, sizes);
        BenchDataset.Part once = BenchDataset.calls("1x", 102, today.minus(Duration.ofDays(12)), VOICE, SCREENS, sizes);
        // cost growth is a matter of recordings, not bytes: the voice part of the dataset, on days of its own
        BenchDataset.Part voice = BenchDataset.calls("voice 1x", 108, today.minus(Duration.ofDays(14)), VOICE, 0, sizes);
        BenchDataset.Part history1 = BenchDataset.calls("1x", 103, today.minus(Duration.ofDays(11)), VOICE, 0, sizes);
        BenchDataset.Part history2 = BenchDataset.calls("2x", 104, today.minus(Duration.ofDays(10)), 2 * VOICE, 0, sizes);
        BenchDataset.Part history4 = BenchDataset.calls("4x", 105, today.minus(Duration.ofDays(9)), 4 * VOICE, 0, sizes);
        BenchDataset.Part large = BenchDataset.oneLargeScreen("2 GiB screen", 106, today.minus(Duration.ofDays(8)),
                2L * 1024 * 1024 * 1024);
        BenchDataset.Part latency = BenchDataset.smallCallsAndChats("latency", 107, Instant.now(),
                (int) (WEBHOOKS_PER_SECOND * WEBHOOK_SECONDS));
        SimulatedOrg org = BenchDataset.orgOf(List.of(warmUp, once, voice, history1, history2, history4, large, latency));
        // Genesys's own delays at their minimum: the copy is what is measured
        genesys = new GenesysSimulator(org, Bench.CLIENT_ID, Bench.CLIENT_SECRET, 0)
                .withBatchJobDuration(Duration.ofMillis(200)).withDetailsJobDuration(Duration.ofMillis(200))
                .withTranscodingAfterStart(Duration.ZERO).withLateScreenDelay(Duration.ZERO).start();
        s3Folder = work.resolve("s3");
        s3 = SandboxS3.start(s3Folder, BUCKET, Sandbox.freePort());
        try (S3Client s3Client = s3Client()) {
            results.put("machine", machine());
            results.put("dataset", Map.of("1x", describe(once), "warmUp", describe(warmUp),
                    "batchJobMillis", 200, "detailsJobMillis", 200, "laneThreads", LANE_THREADS));
            MediaCopy copy = new MediaCopy(s3Client, BUCKET, work.resolve("copy-spool"));

            throughput(warmUp, once, voice, copy);
            if (PARTS.contains("growth")) {
                growth(warmUp, history1, history2, history4);
            }
            if (PARTS.contains("latency")) {
                latency(warmUp, latency);
            }
            if (PARTS.contains("large")) {
                largeRecording(large);
            }
        } finally {
            s3.close();
            genesys.close();
            Files.createDirectories(OUT);
            json.writeValue(OUT.resolve("results.json").toFile(), results);
            Files.write(OUT.resolve("results.txt"), table);
            System.out.println(String.join(System.lineSeparator(), table));
        }
    }

    private void throughput(BenchDataset.Part warmUp, BenchDataset.Part once, BenchDataset.Part voice, MediaCopy copy)
            throws Exception {
        // the simulator, S3Proxy and this JVM warmed up first, as the exporter's own warm-up export warms it
        RawCopy.run(genesys, warmUp.recordings(), copy, LANE_THREADS);
        clearBucket();
        CopyRun raw = RawCopy.run(genesys, once.recordings(), copy, LANE_THREADS);
        clearBucket();
        CopyRun exporter;
        Map<String, Object> memory = new LinkedHashMap<>();
        try (ExporterProcess process = start("throughput", HEAP, Map.of())) {
            exportPart(process, warmUp);
            clearBucket();
            exporter = exportPart(process, once);
            clearBucket();
            // the reference of the cost growth: the voice part on a ledger holding only this run's recordings
            voiceOnEmptyLedger = exportPart(process, voice);
            memory.put("maxHeap", HEAP);
            memory.put("peakHeapMiB", process.peakHeapBytes() / (1024 * 1024));
            memory.put("peakRssMiB", process.peakRssBytes() / (1024 * 1024));
        }
        clearBucket();
        CopyRun tutorial = PARTS.contains("tutorial")
                ? TutorialStyleExport.run(genesys, once.conversations(), copy, LANE_THREADS) : null;
        clearBucket();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("exporter", exporter.figures());
        figures.put("rawCopy", raw.figures());
        if (tutorial != null) {
            figures.put("tutorialStyle", tutorial.figures());
            figures.put("tutorialToRawCopy", Bench.round(tutorial.megabytesPerSecond() / raw.megabytesPerSecond()));
        }
        figures.put("exporterToRawCopy", Bench.round(exporter.megabytesPerSecond() / raw.megabytesPerSecond()));
        figures.put("exporterMemory", memory);
        results.put("throughput", figures);
        table.add(String.format("%-34s %10s %10s %10s %12s %8s", "throughput (1x dataset)", "rec/s", "MB/s", "seconds",
                "calls/rec", "failed"));
        for (CopyRun run : tutorial == null ? List.of(exporter, raw) : List.of(exporter, raw, tutorial)) {
            table.add(String.format("%-34s %10.2f %10.1f %10.1f %12.3f %8d", run.name(), run.recordingsPerSecond(),
                    run.megabytesPerSecond(), run.seconds(), run.apiCallsPerRecording(), run.failed()));
        }
        table.add(String.format("%-34s %10.3f", "exporter / raw copy (MB/s)", exporter.megabytesPerSecond()
                / raw.megabytesPerSecond()));
        table.add(String.format("%-34s heap peak %d MiB of %s, RSS peak %d MiB", "exporter memory",
                memory.get("peakHeapMiB"), HEAP, memory.get("peakRssMiB")));
        write();
    }

    private void growth(BenchDataset.Part warmUp, BenchDataset.Part... scaled) throws Exception {
        Path dir = work.resolve("history");
        long started = System.nanoTime();
        LedgerHistory.prefill(dir.resolve("data"), HISTORY_RECORDINGS);
        double prefillSeconds = (System.nanoTime() - started) / 1e9;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("historyStoredRecordings", HISTORY_RECORDINGS);
        figures.put("prefillSeconds", Bench.round(prefillSeconds));
        double emptyLedger = voiceOnEmptyLedger.recordingsPerSecond();
        figures.put("dataset", "the voice part of the 1x dataset (" + VOICE + " recordings), 1x, 2x and 4x");
        figures.put("emptyLedger1x", voiceOnEmptyLedger.figures());
        table.add(String.format("%-34s %10s %10s %10s %12s", "cost growth (voice part)", "rec/s", "MB/s",
                "seconds", "vs empty 1x"));
        table.add(String.format("%-34s %10.2f %10.1f %10.1f %12.3f", "empty ledger, 1x", emptyLedger,
                voiceOnEmptyLedger.megabytesPerSecond(), voiceOnEmptyLedger.seconds(), 1.0));
        double first = 0;
        try (ExporterProcess process = start("history", HEAP, Map.of())) {
            exportPart(process, warmUp);
            clearBucket();
            for (BenchDataset.Part part : scaled) {
                CopyRun run = exportPart(process, part);
                clearBucket();
                figures.put("history" + part.name(), run.figures());
                figures.put("history" + part.name() + "ToEmptyLedger1x", Bench.round(run.recordingsPerSecond() / emptyLedger));
                if (first == 0) {
                    first = run.recordingsPerSecond();
                } else {
                    figures.put("history" + part.name() + "ToHistory1x", Bench.round(run.recordingsPerSecond() / first));
                }
                table.add(String.format("%-34s %10.2f %10.1f %10.1f %12.3f", HISTORY_RECORDINGS / 1000 + "k STORED before, "
                        + part.name(),
                        run.recordingsPerSecond(), run.megabytesPerSecond(), run.seconds(),
                        run.recordingsPerSecond() / emptyLedger));
            }
            figures.put("peakHeapMiB", process.peakHeapBytes() / (1024 * 1024));
            figures.put("peakRssMiB", process.peakRssBytes() / (1024 * 1024));
        }
        results.put("growth", figures);
        write();
    }

    private void latency(BenchDataset.Part warmUp, BenchDataset.Part calls) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("seconds", WEBHOOK_SECONDS);
        table.add(String.format("%-34s %8s %8s %8s %8s %8s", "webhook accepted -> STORED (s)", "count", "p50", "p95",
                "p99", "max"));
        // 20/s without the per-conversation legal-hold read (GENESYS_LEGAL_HOLD_ATTRIBUTE empty): the pipeline itself
        figures.put("withoutHoldAttributeRead20PerSecond", latencyRun("20/s, hold attribute read off", warmUp, calls,
                WEBHOOKS_PER_SECOND, Map.of("GENESYS_LEGAL_HOLD_ATTRIBUTE", "")));
        figures.put("defaults2PerSecond", latencyRun("2/s, defaults", warmUp, calls, SUSTAINED_WEBHOOKS_PER_SECOND,
                Map.of()));
        results.put("latency", figures);
        write();
    }

    private Map<String, Object> latencyRun(String name, BenchDataset.Part warmUp, BenchDataset.Part all,
            double perSecond, Map<String, String> env) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("webhooksPerSecond", perSecond);
        BenchDataset.Part calls = new BenchDataset.Part(all.name(), all.day(),
                all.conversations().subList(0, (int) Math.min(all.conversations().size(), perSecond * WEBHOOK_SECONDS)));
        try (ExporterProcess process = start("latency-" + name.replaceAll("[^A-Za-z0-9]+", "-"), HEAP, env)) {
            exportPart(process, warmUp);
            clearBucket();
            long callsBefore = genesys.apiCalls();
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            List<SimulatedOrg.Conversation> conversations = calls.conversations();
            ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
            ExecutorService posters = Executors.newFixedThreadPool(8);
            AtomicInteger next = new AtomicInteger();
            long periodMicros = (long) (1_000_000 / perSecond);
            clock.scheduleAtFixedRate(() -> {
                int index = next.getAndIncrement();
                if (index >= conversations.size()) {
                    return;
                }
                String conversationId = conversations.get(index).id();
                posters.submit(() -> {
                    genesys.conversationEnded(conversationId);
                    int status;
                    try {
                        status = process.post("/webhooks/genesys", "{\"conversationId\":\"" + conversationId + "\"}")
                                .statusCode();
                    } catch (Exception e) {
                        status = -1;
                    }
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                });
            }, 0, periodMicros, TimeUnit.MICROSECONDS);
            List<String> ids = calls.recordings().stream().map(SimulatedOrg.Recording::id).toList();
            AuditTimeline timeline = awaitSettled(process, ids, Duration.ofMinutes(8));
            clock.shutdownNow();
            posters.shutdown();
            List<Long> latencies = new ArrayList<>();
            for (SimulatedOrg.Recording recording : calls.recordings()) {
                Instant stored = timeline.storedAt(recording.id());
                Instant received = timeline.receivedAt(recording.conversationId());
                if (stored != null && received != null) {
                    latencies.add(Duration.between(received, stored).toMillis());
                }
            }
            Map<String, Object> distribution = Bench.distribution(latencies);
            figures.putAll(distribution);
            Map<String, Integer> byStatus = new LinkedHashMap<>();
            statuses.forEach((status, count) -> byStatus.put(Integer.toString(status), count.get()));
            figures.put("webhookStatuses", byStatus);
            figures.put("apiCalls", genesys.apiCalls() - callsBefore);
            figures.put("failed", ids.stream().filter(timeline::failed).count());
            table.add(String.format("%-34s %8s %8s %8s %8s %8s", name, distribution.get("count"),
                    distribution.get("p50Seconds"), distribution.get("p95Seconds"), distribution.get("p99Seconds"),
                    distribution.get("maxSeconds")));
        }
        clearBucket();
        return figures;
    }

    private void largeRecording(BenchDataset.Part large) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        try (ExporterProcess process = start("large", "256m", Map.of())) {
            CopyRun run = exportPart(process, large);
            figures.putAll(run.figures());
            figures.put("maxHeap", "256m");
            figures.put("peakHeapMiB", process.peakHeapBytes() / (1024 * 1024));
            figures.put("peakRssMiB", process.peakRssBytes() / (1024 * 1024));
        }
        clearBucket();
        results.put("largeRecording", figures);
        table.add(String.format("%-34s %.1f MB/s, heap peak %s MiB of 256m, RSS peak %s MiB, failed %s",
                "2 GiB screen recording", figures.get("megabytesPerSecond"), figures.get("peakHeapMiB"),
                figures.get("peakRssMiB"), figures.get("failed")));
        write();
    }

    /** Backfills the part's day through {@code POST /exports}; timed from the request to the last STORED entry. */
    private CopyRun exportPart(ExporterProcess process, BenchDataset.Part part) throws Exception {
        long callsBefore = genesys.apiCalls();
        long http429Before = genesys.http429();
        Instant started = Instant.now();
        HttpResponse<String> accepted = process.post("/exports", "{\"from\":\"" + part.from() + "\",\"to\":\""
                + part.to() + "\"}");
        assertEquals(202, accepted.statusCode(), accepted.body());
        List<String> ids = part.recordings().stream().map(SimulatedOrg.Recording::id).toList();
        AuditTimeline timeline = awaitSettled(process, ids, Duration.ofMinutes(15));
        Instant last = started;
        long bytes = 0;
        int stored = 0;
        for (String id : ids) {
            Instant at = timeline.storedAt(id);
            if (at != null) {
                stored++;
                bytes += timeline.storedBytes(id);
                last = at.isAfter(last) ? at : last;
            }
        }
        double seconds = Duration.between(started, last).toNanos() / 1e9;
        return new CopyRun("exporter", stored, bytes, seconds, genesys.apiCalls() - callsBefore,
                genesys.http429() - http429Before, ids.size() - stored);
    }

    private static AuditTimeline awaitSettled(ExporterProcess process, List<String> ids, Duration limit)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            AuditTimeline timeline = AuditTimeline.read(process.auditDir());
            if (timeline.settled(ids) == ids.size()) {
                return timeline;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(timeline.settled(ids) + " of " + ids.size() + " recordings settled within "
                        + limit + "; exporter log: " + process.log());
            }
            Thread.sleep(2000);
        }
    }

    private ExporterProcess start(String name, String heap, Map<String, String> env) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        // the reconcile poll would find the other parts' conversations: the benchmark measures one intake at a time
        settings.put("EXPORTER_POLL_ENABLED", "false");
        settings.putAll(env);
        // e.g. -Dbench.exporter-env=EXPORTER_LANE_VOICE_THREADS=6 to try a setting on every exporter of the run
        for (String setting : System.getProperty("bench.exporter-env", "").split(",")) {
            if (setting.contains("=")) {
                settings.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
            }
        }
        return ExporterProcess.start(work.resolve(name), heap, genesys.baseUrl(), s3.endpoint(), BUCKET, settings);
    }

    /** Deletes the media written so far (the disk holds one run at a time); audit digests stay. */
    private void clearBucket() throws Exception {
        Path bucket = s3Folder.resolve(BUCKET);
        try (var entries = Files.list(bucket)) {
            for (Path entry : entries.toList()) {
                if (!entry.getFileName().toString().equals("genesys")) {
                    ScratchFolder.delete(entry);
                }
            }
        }
        Path exported = bucket.resolve("genesys");
        if (Files.isDirectory(exported)) {
            try (var entries = Files.list(exported)) {
                for (Path entry : entries.toList()) {
                    if (entry.getFileName().toString().startsWith("year=")) {
                        ScratchFolder.delete(entry);
                    }
                }
            }
        }
    }

    private void write() throws Exception {
        Files.createDirectories(OUT);
        json.writeValue(OUT.resolve("results.json").toFile(), results);
    }

    private static Map<String, Object> describe(BenchDataset.Part part) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("conversations", part.conversations().size());
        figures.put("recordings", part.recordings().size());
        figures.put("voiceRecordings", part.recordings().stream().filter(r -> r.media().equals("audio")).count());
        figures.put("screenRecordings", part.recordings().stream().filter(r -> r.media().equals("screen")).count());
        figures.put("legalHoldConversations", part.conversations().stream().filter(SimulatedOrg.Conversation::legalHold).count());
        figures.put("megabytes", Bench.round(part.bytes() / 1_000_000.0));
        return figures;
    }

    private static Map<String, Object> machine() throws Exception {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memoryGiB", Math.round(((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() / 1e9 / 1.073741824));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.exists(cpuinfo)) {
            Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .ifPresent(l -> machine.put("cpu", l.substring(l.indexOf(':') + 1).trim()));
        }
        machine.put("at", Instant.now().toString());
        return machine;
    }

    private S3Client s3Client() {
        return S3Client.builder()
                .endpointOverride(URI.create(s3.endpoint()))
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SandboxS3.ACCESS_KEY, SandboxS3.SECRET_KEY)))
                .build();
    }
}
