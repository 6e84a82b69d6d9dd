package dev.meshplatform.app.infrastructure;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real S3-compatible server (S3Proxy on the file system) inside the platform's JVM, on 127.0.0.1 only. */
public final class EmbeddedS3Server implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedS3Server.class);

    private final S3Proxy proxy;
    private final URI endpoint;

    private EmbeddedS3Server(S3Proxy proxy, URI endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    public static EmbeddedS3Server start(Path baseDir, int port, String accessKey, String secretKey) {
        long started = System.nanoTime();
        int listenPort = port > 0 ? port : EmbeddedKafkaBroker.freePort();
        URI endpoint = URI.create("http://127.0.0.1:" + listenPort);
        try {
            Files.createDirectories(baseDir);
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(new FilesystemNio2BlobStore(baseDir.toAbsolutePath().toString()))
                    .endpoint(endpoint)
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    .build();
            proxy.start();
            if (!"STARTED".equals(proxy.getState())) {
                throw new IllegalStateException("the embedded S3 server is " + proxy.getState() + " after start");
            }
            log.info("Embedded S3 server started on {} (objects in {}) in {} ms", endpoint, baseDir,
                    (System.nanoTime() - started) / 1_000_000);
            return new EmbeddedS3Server(proxy, endpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the embedded S3 folder " + baseDir, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the embedded S3 server did not start", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
            log.info("Embedded S3 server stopped");
        } catch (Exception e) {
            log.warn("The embedded S3 server did not stop cleanly: {}", e.toString());
        }
    }
}
