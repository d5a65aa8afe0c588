package io.recordingexporter.bench;

import io.recordingexporter.sandbox.GenesysSimulator;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The physical limit: a plain loop of {@code threads} workers copying every recording from its media link to S3
 * ({@link MediaCopy}). The links are taken from the simulator before the clock starts: no API call, no Camel, no
 * ledger, no audit, no sidecar.
 */
final class RawCopy {

    private RawCopy() {}

    static CopyRun run(GenesysSimulator genesys, List<SimulatedOrg.Recording> recordings, MediaCopy copy, int threads)
            throws Exception {
        List<String> links = recordings.stream().map(r -> genesys.mediaLink(r.id())).toList();
        AtomicLong bytes = new AtomicLong();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        try {
            List<Future<?>> copies = new java.util.ArrayList<>();
            for (int i = 0; i < recordings.size(); i++) {
                SimulatedOrg.Recording recording = recordings.get(i);
                String link = links.get(i);
                copies.add(workers.submit(() -> {
                    try {
                        bytes.addAndGet(copy.copy(link, "raw-copy/" + recording.conversationId() + "/" + recording.id()));
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }));
            }
            for (Future<?> one : copies) {
                one.get();
            }
        } finally {
            workers.shutdown();
            workers.awaitTermination(1, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new CopyRun("raw copy", recordings.size() - failed.get(), bytes.get(), seconds, 0, 0, failed.get());
    }
}
