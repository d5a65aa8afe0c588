package io.recordingexporter.intake;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * How request bodies are read: strictly. A key given twice in one object, or anything after the JSON value, is refused
 * rather than guessed at (two parsers of one body must not see two different requests); Jackson's own limits on
 * nesting depth, number length and string length stay on.
 */
public final class StrictJson {

    private StrictJson() {}

    public static ObjectMapper mapper() {
        return JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }
}
