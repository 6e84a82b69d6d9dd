package dev.meshplatform.app.infrastructure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedPortsTest {

    @Test
    void aFreePortIsClaimedAndZeroPicksOne() throws Exception {
        int free;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }
        assertThat(EmbeddedPorts.claim(free, "embedded S3 server", "mesh.storage.s3.embedded-port")).isEqualTo(free);
        assertThat(EmbeddedPorts.claim(0, "embedded S3 server", "mesh.storage.s3.embedded-port")).isPositive();
    }

    @Test
    void aTakenPortStopsTheStartNamingTheServerAndTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedPorts.claim(port, "embedded Kafka broker",
                    "mesh.ingestion.embedded-kafka.port"))
                    .isInstanceOfSatisfying(EmbeddedPorts.PortTakenException.class, e -> {
                        assertThat(e).hasMessage("Port " + port + " of the embedded Kafka broker "
                                + "(mesh.ingestion.embedded-kafka.port) is taken on 127.0.0.1 by another program");
                        FailureAnalysis analysis = new EmbeddedPortFailureAnalyzer().analyze(
                                new IllegalStateException("context failed", e));
                        assertThat(analysis.getDescription()).contains(String.valueOf(port));
                        assertThat(analysis.getAction()).contains("--mesh.ingestion.embedded-kafka.port=");
                    });
        }
        assertThatThrownBy(() -> EmbeddedPorts.claim(70_000, "embedded S3 server", "mesh.storage.s3.embedded-port"))
                .hasMessageContaining("is not a port");
    }
}
