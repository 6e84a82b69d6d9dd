package dev.meshplatform.app.connections;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * How a Kafka client reaches the platform's broker: never a secret.
 *
 * @param bootstrapServers the broker list a producer starts from
 * @param securityProtocol the client's {@code security.protocol}
 * @param saslMechanism    the client's {@code sasl.mechanism}, when the broker asks for SASL
 * @param embedded         whether this is the embedded default's broker: 127.0.0.1 only, without authentication
 */
public record KafkaAccess(
        @Schema(example = "127.0.0.1:9092") String bootstrapServers,
        @Schema(example = "PLAINTEXT") String securityProtocol,
        @Schema(example = "SCRAM-SHA-512") String saslMechanism,
        boolean embedded) {
}
