package dev.meshplatform.app.infrastructure;

import dev.meshplatform.app.config.MeshStorageProperties;
import dev.meshplatform.ingestion.api.IngestionProperties;
import dev.meshplatform.ingestion.api.KafkaConnection;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Kafka for the platform: the embedded broker unless {@code spring.kafka.bootstrap-servers} names a cluster, the
 * admin client and the one idempotent producer the libraries share.
 */
@Configuration
class KafkaConfiguration {

    static final String BOOTSTRAP_PROPERTY = "spring.kafka.bootstrap-servers";

    /** The broker the platform talks to, and the embedded one it started, if any. */
    record KafkaRuntime(KafkaConnection connection, EmbeddedKafkaBroker embedded) implements AutoCloseable {
        @Override
        public void close() {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    @Bean(destroyMethod = "close")
    KafkaRuntime kafkaRuntime(Environment environment, MeshStorageProperties storage, IngestionProperties ingestion) {
        Map<String, Object> clientProperties = new HashMap<>();
        // Operator settings such as security.protocol or sasl.* apply to every client.
        org.springframework.boot.context.properties.bind.Binder.get(environment)
                .bind("spring.kafka.properties", org.springframework.boot.context.properties.bind.Bindable
                        .mapOf(String.class, String.class))
                .ifBound(clientProperties::putAll);
        String configured = environment.getProperty(BOOTSTRAP_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return new KafkaRuntime(new KafkaConnection(configured, clientProperties), null);
        }
        int port = EmbeddedPorts.claim(ingestion.embeddedKafka().port(), "embedded Kafka broker",
                "mesh.ingestion.embedded-kafka.port");
        int controllerPort = EmbeddedPorts.claim(ingestion.embeddedKafka().controllerPort(),
                "embedded Kafka broker's controller", "mesh.ingestion.embedded-kafka.controller-port");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(storage.dataDir().resolve("kafka"), port,
                controllerPort, ingestion.deadLetterMaxMessageBytes() + 1024);
        return new KafkaRuntime(new KafkaConnection(broker.bootstrapServers(), clientProperties), broker);
    }

    @Bean
    KafkaConnection kafkaConnection(KafkaRuntime runtime) {
        return runtime.connection();
    }

    @Bean(destroyMethod = "close")
    Admin meshKafkaAdmin(KafkaConnection kafka) {
        Map<String, Object> config = new HashMap<>(kafka.clientProperties());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, "mesh-platform-admin");
        return Admin.create(config);
    }

    /** Idempotent, acks=all: a send the broker acknowledged is on every in-sync replica, and retries add no copies. */
    @Bean(destroyMethod = "close")
    Producer<byte[], byte[]> meshKafkaProducer(KafkaConnection kafka, IngestionProperties ingestion) {
        Map<String, Object> config = new HashMap<>(kafka.clientProperties());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "mesh-platform");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, ingestion.deadLetterMaxMessageBytes());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(2).toMillis());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(config);
    }
}
