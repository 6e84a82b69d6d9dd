package dev.meshplatform.ingestion.api;

import java.util.Map;

/**
 * How to reach Kafka: the embedded broker or an existing cluster. {@code clientProperties} carry the operator's
 * client settings ({@code spring.kafka.properties.*}, security) for every client the module creates.
 */
public record KafkaConnection(String bootstrapServers, Map<String, Object> clientProperties) {

    public KafkaConnection {
        clientProperties = Map.copyOf(clientProperties);
    }
}
