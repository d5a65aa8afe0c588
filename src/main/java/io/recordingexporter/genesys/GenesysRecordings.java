package io.recordingexporter.genesys;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mypurecloud.sdk.v2.ApiClient;
import com.mypurecloud.sdk.v2.ApiException;
import com.mypurecloud.sdk.v2.ApiResponse;
import com.mypurecloud.sdk.v2.api.RecordingApi;
import com.mypurecloud.sdk.v2.model.MediaResult;
import com.mypurecloud.sdk.v2.model.Recording;
import com.mypurecloud.sdk.v2.model.RecordingMetadata;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The Genesys recording calls the exporter makes, through the official SDK: list a conversation's recordings, and ask
 * for one recording's media link. Owns the token: every call carries a current one, and a 401 renews it once.
 */
public class GenesysRecordings {

    private static final int UNAUTHORIZED = 401;
    private static final int ACCEPTED = 202;

    private final ApiClient client;
    private final RecordingApi recordingApi;
    private final GenesysTokenSource tokens;
    private final String audioFormat;

    public GenesysRecordings(String apiBaseUrl, GenesysTokenSource tokens, int timeoutMs, String audioFormat) {
        this.client = ApiClient.Builder.standard()
                .withBasePath(apiBaseUrl)
                .withConnectionTimeout(timeoutMs)
                // with the SDK's refresh on, a 401 turns into an UnknownHostException for login.<api host>
                .withShouldRefreshAccessToken(false)
                .withUserAgent("recording-exporter")
                .build();
        this.recordingApi = new RecordingApi(client);
        this.tokens = tokens;
        this.audioFormat = audioFormat;
    }

    /** The SDK's own JSON mapper: what Genesys sends is written back out in the same shape. */
    public ObjectMapper objectMapper() {
        return client.getObjectMapper();
    }

    /** Every recording Genesys lists for the conversation (voice, screen, chat, message, email). */
    public List<RecordingMetadata> recordingsOf(String conversationId) throws IOException, ApiException {
        return withToken(() -> recordingApi.getConversationRecordingmetadataWithHttpInfo(conversationId)).getBody();
    }

    /**
     * Where the recording's media can be downloaded. A 202 reply or a recording without media links means Genesys is
     * still preparing it: {@link MediaNotReadyException}.
     */
    public URI mediaUriOf(String conversationId, String recordingId, String media) throws IOException, ApiException {
        String formatId = switch (media) {
            case "audio" -> audioFormat;
            case "screen" -> "WEBM";
            default -> null;
        };
        ApiResponse<Recording> response = withToken(() -> recordingApi.getConversationRecordingWithHttpInfo(
                conversationId, recordingId, formatId, null, null, null, Boolean.TRUE, null, null, null));
        Recording recording = response.getBody();
        if (response.getStatusCode() == ACCEPTED || recording == null) {
            throw new MediaNotReadyException("recording " + recordingId + " is being prepared (HTTP "
                    + response.getStatusCode() + ")");
        }
        if (recording.getFileState() != null && recording.getFileState() != Recording.FileStateEnum.AVAILABLE
                && recording.getFileState() != Recording.FileStateEnum.RESTORED) {
            throw new MediaNotReadyException("recording " + recordingId + " is " + recording.getFileState());
        }
        Map<String, MediaResult> uris = recording.getMediaUris();
        if (uris == null || uris.isEmpty()) {
            throw new MediaNotReadyException("recording " + recordingId + " has no media link yet");
        }
        MediaResult first = uris.values().iterator().next();
        if (first.getMediaUri() == null) {
            throw new MediaNotReadyException("recording " + recordingId + " has no media link yet");
        }
        return URI.create(first.getMediaUri());
    }

    @FunctionalInterface
    private interface Call<T> {
        ApiResponse<T> invoke() throws IOException;
    }

    private <T> ApiResponse<T> withToken(Call<T> call) throws IOException, ApiException {
        String token = tokens.currentToken();
        client.setAccessToken(token);
        ApiResponse<T> response = call.invoke();
        if (response.getStatusCode() == UNAUTHORIZED) {
            tokens.invalidate(token);
            client.setAccessToken(tokens.currentToken());
            response = call.invoke();
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
}
