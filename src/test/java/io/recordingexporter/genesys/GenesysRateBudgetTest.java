package io.recordingexporter.genesys;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.mypurecloud.sdk.v2.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared budget on a real clock, and against Genesys-shaped 429 replies on loopback. */
class GenesysRateBudgetTest {

    private static final String CONVERSATION = "0f0e2a4c-5a31-4d1c-9a53-6a0c2e7d1b11";
    private WireMockServer genesys;

    @BeforeEach
    void start() {
        genesys = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        genesys.start();
        genesys.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\": \"t\", \"token_type\": \"bearer\", \"expires_in\": 86400}")));
    }

    @AfterEach
    void stop() {
        genesys.stop();
    }

    @Test
    void burstThenTheRefillRate() throws Exception {
        GenesysRateBudget budget = new GenesysRateBudget(600, 2, Clock.systemUTC()); // 10 per second
        long started = System.nanoTime();
        for (int i = 0; i < 7; i++) {
            budget.acquire();
        }
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        // 2 from the burst, 5 more at one per 100 ms
        assertTrue(elapsedMillis >= 450, "7 calls at 10/s with a burst of 2 took " + elapsedMillis + " ms");
        assertEquals(7, budget.granted());
    }

    @Test
    void lanesLeaveTheReserveToDiscovery() throws Exception {
        GenesysRateBudget budget = new GenesysRateBudget(60, 5, Clock.systemUTC()); // one permit a second
        budget.acquireForLane(3);
        budget.acquireForLane(3);
        long started = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            budget.acquire(); // discovery takes the three reserved permits at once
        }
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 200, "discovery did not wait");
        CompletableFuture<Void> lane = CompletableFuture.runAsync(() -> {
            try {
                budget.acquireForLane(3);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1500);
        assertTrue(!lane.isDone(), "a lane waits until the reserve has refilled, not just one permit");
        lane.cancel(true);
    }

    @Test
    void aPauseHoldsEveryCaller() throws Exception {
        GenesysRateBudget budget = new GenesysRateBudget(6000, 50, Clock.systemUTC());
        budget.pauseUntil(Instant.now().plusMillis(800));
        long started = System.nanoTime();
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
            try {
                budget.acquire();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        budget.acquire();
        other.get();
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertTrue(elapsedMillis >= 750, "both callers waited out the pause, took " + elapsedMillis + " ms");
        assertEquals(0, budget.available(), 0.5);
        assertEquals(1, budget.throttled());
    }

    @Test
    void aRetryAfterFromGenesysPausesTheNextCallOfAnyCaller() throws Exception {
        genesys.stubFor(get(urlPathEqualTo("/api/v2/analytics/conversations/details")).inScenario("limit")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":429,\"code\":\"too.many.requests.retry.after\",\"message\":\"Rate limit exceeded\"}"))
                .willSetStateTo("open"));
        genesys.stubFor(get(urlPathEqualTo("/api/v2/analytics/conversations/details")).inScenario("limit")
                .whenScenarioStateIs("open")
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"conversations\": []}")));
        GenesysRateBudget budget = new GenesysRateBudget(240, 40, Clock.systemUTC());
        GenesysTokenSource tokens = new GenesysTokenSource(genesys.baseUrl(), "id", "secret", Duration.ofMinutes(5),
                Duration.ofSeconds(5), Clock.systemUTC());
        GenesysRecordings recordings = new GenesysRecordings(genesys.baseUrl(), tokens, budget,
                new io.recordingexporter.resilience.CircuitBreaker("genesys", 5, Duration.ofSeconds(15), Clock.systemUTC()), 5000, "WAV",
                Clock.systemUTC());

        ApiException limited = assertThrows(ApiException.class, () -> recordings.conversationDetails(List.of(CONVERSATION)));
        assertEquals(429, limited.getStatusCode());
        // another lane's call, made at once, must not reach Genesys before the 3 seconds are up
        CompletableFuture<Integer> otherLane = CompletableFuture.supplyAsync(() -> {
            try {
                return recordings.conversationDetails(List.of(CONVERSATION)).size();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(0, otherLane.get());

        List<LoggedRequest> calls = genesys.findAll(getRequestedFor(urlPathMatching("/api/v2/.*")));
        calls.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        assertEquals(2, calls.size());
        long gapMillis = calls.get(1).getLoggedDate().getTime() - calls.get(0).getLoggedDate().getTime();
        assertTrue(gapMillis >= 2900, "second call came " + gapMillis + " ms after the 429 with Retry-After: 3");
        assertEquals(1, budget.throttled());
    }

    @Test
    void aWindowReportedFullPausesUntilItsReset() throws Exception {
        genesys.stubFor(get(urlPathEqualTo("/api/v2/analytics/conversations/details")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withHeader("inin-ratelimit-allowed", "300")
                .withHeader("inin-ratelimit-count", "300").withHeader("inin-ratelimit-reset", "1").withBody("{\"conversations\": []}")));
        GenesysRateBudget budget = new GenesysRateBudget(240, 40, Clock.systemUTC());
        GenesysTokenSource tokens = new GenesysTokenSource(genesys.baseUrl(), "id", "secret", Duration.ofMinutes(5),
                Duration.ofSeconds(5), Clock.systemUTC());
        GenesysRecordings recordings = new GenesysRecordings(genesys.baseUrl(), tokens, budget,
                new io.recordingexporter.resilience.CircuitBreaker("genesys", 5, Duration.ofSeconds(15), Clock.systemUTC()), 5000, "WAV",
                Clock.systemUTC());
        recordings.conversationDetails(List.of(CONVERSATION));
        long started = System.nanoTime();
        recordings.conversationDetails(List.of(CONVERSATION));
        long waitedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertTrue(waitedMillis >= 900, "the call after a full window waited " + waitedMillis + " ms");
    }

    @Test
    void aRetryAfterOfElevenDaysCostsAtMostTheCap() throws Exception {
        genesys.stubFor(get(urlPathEqualTo("/api/v2/analytics/conversations/details")).inScenario("hostile")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "999999")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":429,\"code\":\"too.many.requests.retry.after\",\"message\":\"slow down\"}"))
                .willSetStateTo("open"));
        genesys.stubFor(get(urlPathEqualTo("/api/v2/analytics/conversations/details")).inScenario("hostile")
                .whenScenarioStateIs("open")
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"conversations\": []}")));
        GenesysRateBudget budget = new GenesysRateBudget(240, 40, Duration.ofSeconds(2), Clock.systemUTC());
        GenesysTokenSource tokens = new GenesysTokenSource(genesys.baseUrl(), "id", "secret", Duration.ofMinutes(5),
                Duration.ofSeconds(5), Clock.systemUTC());
        GenesysRecordings recordings = new GenesysRecordings(genesys.baseUrl(), tokens, budget,
                new io.recordingexporter.resilience.CircuitBreaker("genesys", 5, Duration.ofSeconds(15), Clock.systemUTC()), 5000, "WAV",
                Clock.systemUTC());

        assertThrows(ApiException.class, () -> recordings.conversationDetails(List.of(CONVERSATION)));
        long started = System.nanoTime();
        recordings.conversationDetails(List.of(CONVERSATION));
        long waitedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertTrue(waitedMillis >= 1500 && waitedMillis < 4000,
                "Retry-After: 999999 with a 2 s cap paused the next call " + waitedMillis + " ms");
        assertEquals(1, budget.pausesCapped(), "the capped pause is counted");
    }

    @Test
    void aRateLimitResetIsCappedToo() {
        GenesysRateBudget budget = new GenesysRateBudget(240, 40, Duration.ofSeconds(120), Clock.systemUTC());
        Instant asked = Instant.now().plus(Duration.ofDays(3));
        Instant granted = budget.capped(asked);
        assertTrue(Duration.between(Instant.now(), granted).toSeconds() <= 120, "pause cut to the cap: " + granted);
        Instant shortPause = Instant.now().plusSeconds(5);
        assertEquals(shortPause, budget.capped(shortPause), "a pause under the cap is kept as asked");
        assertEquals(1, budget.pausesCapped());
    }
}
