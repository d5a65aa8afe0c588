package io.recordingexporter.genesys;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads an HTTP {@code Retry-After} value: a number of seconds ({@code 3}) or an HTTP-date
 * ({@code Wed, 21 Oct 2026 07:28:00 GMT}). Anything else, or a date in the past, says nothing.
 */
public final class RetryAfter {

    private RetryAfter() {}

    public static Optional<Instant> parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.trim();
        if (text.chars().allMatch(Character::isDigit)) {
            return Optional.of(now.plus(Duration.ofSeconds(Long.parseLong(text))));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return at.isAfter(now) ? Optional.of(at) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
