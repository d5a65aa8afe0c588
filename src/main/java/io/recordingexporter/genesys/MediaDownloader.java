package io.recordingexporter.genesys;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Downloads media from a link the exporter does not trust: only from allowed hosts and addresses ({@link MediaHosts},
 * checked on the URI and again on every address the host resolves to, at connect time, so a name cannot be re-bound to
 * an internal address in between), following a redirect only to an allowed host, with a whole-body deadline, a
 * read-idle timeout and a byte cap per lane. A refusal is a {@link MediaRefusedException}.
 */
public class MediaDownloader implements AutoCloseable {

    private static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final int BUFFER_BYTES = 64 * 1024;

    /** What a lane allows one download: the whole body within {@code deadline}, a byte within {@code idle}, at most {@code maxBytes}. */
    public record Limits(Duration deadline, Duration idle, long maxBytes) {}

    /** What the media host answered: its content type and host (for the custody record), and the bytes written. */
    public record Downloaded(String contentType, String host, long bytes) {}

    /** Told the announced length (-1 if none) before any byte is written; may refuse by throwing. */
    @FunctionalInterface
    public interface BeforeWriting {
        void accept(long announcedBytes) throws IOException;
    }

    /** Downloads open at once, over every lane: more than the lanes' threads together. */
    public static final int MAX_CONNECTIONS = 32;

    private final MediaHosts hosts;
    private final CloseableHttpClient http;

    public MediaDownloader(MediaHosts hosts, Duration connectTimeout) {
        this.hosts = hosts;
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new CheckedResolver(hosts))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout)).build())
                        .setMaxConnTotal(MAX_CONNECTIONS).setMaxConnPerRoute(MAX_CONNECTIONS).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableContentCompression()
                .disableCookieManagement()
                .setUserAgent("recording-exporter")
                .build();
    }

    /**
     * Streams the media at {@code uri} into {@code sink} within {@code limits}. HTTP answers other than 200 are
     * {@link MediaDownloadException}s; a body shorter than announced is an {@link IOException}.
     */
    public Downloaded download(URI uri, Limits limits, BeforeWriting beforeWriting, OutputStream sink)
            throws IOException {
        long deadline = System.nanoTime() + limits.deadline().toNanos();
        URI current = uri;
        for (int hop = 0; ; hop++) {
            String refused = hosts.refusal(current);
            if (refused != null) {
                throw new MediaRefusedException(MediaRefusedException.Reason.HOST, (hop == 0 ? "" : "a redirect to ")
                        + refused);
            }
            HttpGet get = new HttpGet(current);
            get.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(limits.idle()))
                    .setConnectionRequestTimeout(Timeout.of(limits.idle())).setRedirectsEnabled(false).build());
            try (CloseableHttpResponse response = execute(get)) {
                int status = response.getCode();
                if (REDIRECTS.contains(status)) {
                    Header location = response.getFirstHeader("Location");
                    if (location == null || hop == MAX_REDIRECTS) {
                        throw new MediaDownloadException(status, "media link " + hostOf(current) + " answered HTTP "
                                + status + (location == null ? " without a Location" : " after " + MAX_REDIRECTS
                                + " redirects"));
                    }
                    current = current.resolve(location.getValue());
                    continue;
                }
                if (status != 200) {
                    throw new MediaDownloadException(status, "media link " + hostOf(current) + " answered HTTP " + status);
                }
                HttpEntity entity = response.getEntity();
                long announced = entity == null ? -1 : entity.getContentLength();
                if (announced > limits.maxBytes()) {
                    throw new MediaRefusedException(MediaRefusedException.Reason.TOO_LARGE, "media of " + announced
                            + " bytes announced, over the lane's cap of " + limits.maxBytes());
                }
                beforeWriting.accept(announced);
                long bytes = entity == null ? 0 : copy(entity, sink, limits, deadline);
                if (announced >= 0 && announced != bytes) {
                    throw new IOException("media from " + hostOf(current) + " was truncated: " + bytes + " of "
                            + announced + " bytes");
                }
                Header type = response.getFirstHeader("Content-Type");
                return new Downloaded(type == null ? null : type.getValue(), hostOf(current), bytes);
            }
        }
    }

    @SuppressWarnings("deprecation") // execute(request) keeps the response open for streaming; its successor is not in 5.5
    private CloseableHttpResponse execute(HttpGet get) throws IOException {
        try {
            return http.execute(get);
        } catch (IOException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof RefusedAddress refused) {
                    throw new MediaRefusedException(MediaRefusedException.Reason.HOST, refused.getMessage());
                }
            }
            if (e instanceof java.net.SocketTimeoutException) {
                throw new MediaRefusedException(MediaRefusedException.Reason.STALLED, "no reply from the media host"
                        + " within the lane's idle timeout: " + e.getMessage());
            }
            throw e;
        }
    }

    private static long copy(HttpEntity entity, OutputStream sink, Limits limits, long deadline) throws IOException {
        long bytes = 0;
        try (InputStream in = entity.getContent()) {
            byte[] buffer = new byte[BUFFER_BYTES];
            while (true) {
                int read;
                try {
                    read = in.read(buffer);
                } catch (java.net.SocketTimeoutException e) {
                    throw new MediaRefusedException(MediaRefusedException.Reason.STALLED, "the media body stalled: no byte"
                            + " for " + limits.idle().toSeconds() + " s after " + bytes + " bytes");
                } catch (InterruptedIOException e) {
                    throw new MediaRefusedException(MediaRefusedException.Reason.STALLED, "the media body stalled after "
                            + bytes + " bytes: " + e.getMessage());
                }
                if (read < 0) {
                    return bytes;
                }
                bytes += read;
                if (bytes > limits.maxBytes()) {
                    throw new MediaRefusedException(MediaRefusedException.Reason.TOO_LARGE, "media over the lane's cap"
                            + " of " + limits.maxBytes() + " bytes");
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new MediaRefusedException(MediaRefusedException.Reason.STALLED, "the media body took longer"
                            + " than the lane's " + limits.deadline().toSeconds() + " s (" + bytes + " bytes so far)");
                }
                sink.write(buffer, 0, read);
            }
        }
    }

    private static String hostOf(URI uri) {
        return uri.getHost();
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

    /** A host resolved to addresses the allow-list forbids; the connection is never opened. */
    private static final class RefusedAddress extends UnknownHostException {
        RefusedAddress(String message) {
            super(message);
        }
    }

    /** Resolves as the system does, then refuses addresses the allow-list forbids: checked where the socket is made. */
    private static final class CheckedResolver implements DnsResolver {

        private final MediaHosts hosts;

        CheckedResolver(MediaHosts hosts) {
            this.hosts = hosts;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            InetAddress[] addresses = SystemDefaultDnsResolver.INSTANCE.resolve(host);
            String refused = hosts.refusal(host, addresses);
            if (refused != null) {
                throw new RefusedAddress(refused);
            }
            return addresses;
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
        }
    }
}
