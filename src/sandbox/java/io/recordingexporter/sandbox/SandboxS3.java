package io.recordingexporter.sandbox;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3 protocol server in-process (S3Proxy), keeping its objects as files under a folder, with signed requests
 * required as AWS requires them.
 */
public final class SandboxS3 implements AutoCloseable {

    public static final String ACCESS_KEY = "sandbox-access-key";
    public static final String SECRET_KEY = "sandbox-secret-key";

    private final S3Proxy proxy;

    private SandboxS3(S3Proxy proxy) {
        this.proxy = proxy;
    }

    public static SandboxS3 start(Path folder, String bucket, int port) throws Exception {
        Files.createDirectories(folder);
        BlobStore store = new FilesystemNio2BlobStore(folder.toAbsolutePath().toString());
        if (!store.containerExists(bucket)) {
            store.createContainer(bucket);
        }
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        return new SandboxS3(proxy);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
