package dev.meshplatform.app.infrastructure;

import dev.meshplatform.app.config.MeshStorageProperties;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectStoreTest {

    private static MeshStorageProperties.Requests requests(int retries, String socketTimeout) {
        return new MeshStorageProperties.Requests(retries, Duration.parse(socketTimeout));
    }

    @Test
    void icebergsClientsGetTheRequestBounds() {
        StorageConfiguration.ObjectStore store = new StorageConfiguration.ObjectStore(URI.create("http://s3:9000"),
                "eu-west-1", "key", "secret", "mesh", true, requests(2, "PT10S"), null);
        assertThat(store.icebergProperties())
                .containsEntry("s3.retry.num-retries", "2")
                .containsEntry("http-client.urlconnection.socket-timeout-ms", "10000")
                .containsEntry("s3.endpoint", "http://s3:9000");
    }

    @Test
    void boundsThatCannotWorkAreRefusedWithTheirKey() {
        assertThatThrownBy(() -> requests(-1, "PT30S")).hasMessageContaining("requests.retries");
        assertThatThrownBy(() -> requests(21, "PT30S")).hasMessageContaining("requests.retries");
        assertThatThrownBy(() -> requests(5, "PT0.5S")).hasMessageContaining("socket-timeout");
        assertThat(requests(0, "PT1S").retries()).isZero();
        assertThat(requests(20, "PT1S").retries()).isEqualTo(20);
    }
}
