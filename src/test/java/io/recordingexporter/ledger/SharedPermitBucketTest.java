package io.recordingexporter.ledger;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.recordingexporter.TestPostgres;
import io.recordingexporter.genesys.GenesysRateBudget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two replicas' Genesys budgets on one PostgreSQL ledger spend from one bucket: together they get no more than one
 * budget allows, and a pause one of them is told of holds the other.
 */
class SharedPermitBucketTest {

    private static final int PER_MINUTE = 120;
    private static final int BURST = 2;
    private static GenesysRateBudget replica(HikariDataSource dataSource, String node) {
        LedgerStore store = Ledger.open(dataSource, node, 900, Clock.systemUTC()).store();
        return new GenesysRateBudget(PER_MINUTE, BURST, Duration.ofSeconds(60), Clock.systemUTC(),
                new SharedPermitBucket(store, "genesys", GenesysRateBudget.permitsPerMilli(PER_MINUTE), BURST));
    }

    @Test
    void twoReplicasTogetherStayWithinOneBudget() throws Exception {
        try (HikariDataSource dataSource = LedgerDatabase.open(TestPostgres.newDatabase(), TestPostgres.USER, "",
                8)) {
            List<GenesysRateBudget> replicas = List.of(replica(dataSource, "a"), replica(dataSource, "b"));
            AtomicInteger granted = new AtomicInteger();
            Instant end = Instant.now().plusSeconds(5);
            List<Thread> callers = new ArrayList<>();
            for (GenesysRateBudget budget : replicas) {
                for (int i = 0; i < 2; i++) {
                    Thread caller = new Thread(() -> {
                        try {
                            while (Instant.now().isBefore(end)) {
                                budget.acquire();
                                if (Instant.now().isBefore(end)) {
                                    granted.incrementAndGet();
                                }
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    caller.start();
                    callers.add(caller);
                }
            }
            for (Thread caller : callers) {
                caller.join();
            }
            // a token bucket lets burst + rate * T through in T: 2 + 2/s * 5 s = 12 (each replica alone would get 12)
            assertTrue(granted.get() >= 9 && granted.get() <= 13, "both replicas together: " + granted.get()
                    + "; each: " + replicas.get(0).granted() + " and " + replicas.get(1).granted());
        }
    }

    @Test
    void aPauseOneReplicaWasToldOfHoldsTheOther() throws Exception {
        try (HikariDataSource dataSource = LedgerDatabase.open(TestPostgres.newDatabase(), TestPostgres.USER, "",
                4)) {
            GenesysRateBudget told = replica(dataSource, "a");
            GenesysRateBudget other = replica(dataSource, "b");
            told.pauseUntil(Instant.now().plusMillis(1500));
            long started = System.nanoTime();
            other.acquire();
            long waitedMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(waitedMillis >= 1400, "the other replica waited out the pause: " + waitedMillis + " ms");
        }
    }
}
