package io.recordingexporter.genesys;

import com.mypurecloud.sdk.v2.ApiClient;
import com.mypurecloud.sdk.v2.ApiException;
import com.mypurecloud.sdk.v2.ApiResponse;
import io.recordingexporter.resilience.CircuitBreaker;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * How every Genesys API call is made: within the shared rate budget (a lane's calls leave part of it to discovery and
 * expansion), behind the circuit breaker, with a current token, and pausing the whole budget when Genesys says so.
 */
final class GenesysCalls {

    private static final int UNAUTHORIZED = 401;
    private static final int TOO_MANY_REQUESTS = 429;
    private static final Duration PAUSE_WITHOUT_RETRY_AFTER = Duration.ofSeconds(10);

    private final ApiClient client;
    private final GenesysTokenSource tokens;
    private final GenesysRateBudget budget;
    /** Opens after connection failures in a row (no reply at all): calls then fail at once instead of timing out. */
    private final CircuitBreaker breaker;
    private final Clock clock;
    /** Permits a lane's calls must leave to discovery and expansion; 0 for those themselves. */
    private final int reservedByOthers;
    private final GenesysCallOutcomes outcomes;

    GenesysCalls(ApiClient client, GenesysTokenSource tokens, GenesysRateBudget budget, CircuitBreaker breaker,
            Clock clock, int reservedByOthers, GenesysCallOutcomes outcomes) {
        this.client = client;
        this.outcomes = outcomes;
        this.tokens = tokens;
        this.budget = budget;
        this.breaker = breaker;
        this.clock = clock;
        this.reservedByOthers = reservedByOthers;
    }

    /** The same calls, leaving {@code reserved} permits of the budget to discovery and expansion. */
    GenesysCalls leaving(int reserved) {
        return new GenesysCalls(client, tokens, budget, breaker, clock, reserved, outcomes);
    }

    @FunctionalInterface
    interface Call<T> {
        ApiResponse<T> invoke() throws IOException;
    }

    /** The call got no HTTP answer: refused or reset connection, timeout, unknown host. */
    private static boolean noReply(ApiResponse<?> response) {
        Throwable failure = response.getException();
        if (failure == null) {
            return false;
        }
        if (failure instanceof ApiException api && api.getStatusCode() > 0) {
            return false;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return response.getStatusCode() <= 0;
    }

    /**
     * One API call: spends from the shared budget, carries a current token (renewed once on a 401), and pauses the
     * whole budget when Genesys answers 429 or reports its per-token window used up.
     */
    <T> ApiResponse<T> withToken(String endpoint, Call<T> call) throws IOException, ApiException {
        String token = tokens.currentToken();
        ApiResponse<T> response = budgeted(endpoint, call, token);
        if (response.getStatusCode() == UNAUTHORIZED) {
            tokens.invalidate(token);
            response = budgeted(endpoint, call, tokens.currentToken());
        }
        Exception failure = response.getException();
        if (failure instanceof ApiException apiException) {
            throw apiException;
        }
        if (failure instanceof IOException ioException) {
            throw ioException;
        }
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
        return response;
    }

    private <T> ApiResponse<T> budgeted(String endpoint, Call<T> call, String token) throws IOException {
        breaker.check();
        try {
            if (reservedByOthers > 0) {
                budget.acquireForLane(reservedByOthers);
            } else {
                budget.acquire();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the Genesys rate budget", e);
        }
        client.setAccessToken(token);
        ApiResponse<T> response;
        try {
            response = call.invoke();
        } catch (IOException e) {
            breaker.failed(); // refused, reset, timed out: no answer from Genesys
            outcomes.answered(endpoint, GenesysCallOutcomes.NO_REPLY);
            throw e;
        }
        if (noReply(response)) {
            breaker.failed();
            outcomes.answered(endpoint, GenesysCallOutcomes.NO_REPLY);
        } else {
            breaker.succeeded(); // any HTTP answer, even an error, means Genesys is there
            outcomes.answered(endpoint, Integer.toString(response.getStatusCode()));
        }
        Instant now = clock.instant();
        if (response.getStatusCode() == TOO_MANY_REQUESTS) {
            budget.pauseUntil(RetryAfter.parse(header(response, "Retry-After"), now)
                    .orElse(now.plus(PAUSE_WITHOUT_RETRY_AFTER)));
        } else {
            windowUsedUp(response, now).ifPresent(budget::pauseUntil);
        }
        return response;
    }

    /** {@code inin-ratelimit-count} at {@code inin-ratelimit-allowed}: wait for {@code inin-ratelimit-reset} seconds. */
    private static Optional<Instant> windowUsedUp(ApiResponse<?> response, Instant now) {
        try {
            String allowed = header(response, "inin-ratelimit-allowed");
            String count = header(response, "inin-ratelimit-count");
            String reset = header(response, "inin-ratelimit-reset");
            if (allowed != null && count != null && reset != null
                    && Long.parseLong(count.trim()) >= Long.parseLong(allowed.trim())) {
                return RetryAfter.parse(reset, now);
            }
        } catch (NumberFormatException ignored) {
            // a header we cannot read says nothing
        }
        return Optional.empty();
    }

    private static String header(ApiResponse<?> response, String name) {
        Map<String, String> headers = response.getHeaders();
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey() != null && header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }
}
