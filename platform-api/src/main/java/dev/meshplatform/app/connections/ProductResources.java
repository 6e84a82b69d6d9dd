package dev.meshplatform.app.connections;

import dev.meshplatform.registry.api.LifecycleStatus;

/**
 * The platform's resources of one product major, named for its own domain's team.
 *
 * @param version         the major's newest released version
 * @param topic           the topic events are produced to; null without a Kafka input port
 * @param deadLetterTopic where the landing job puts events the contract refuses; null without a Kafka input port
 * @param rawTable        the Iceberg table events land in, as {@code namespace.table}; null without a Kafka input
 * @param outputTable     the Iceberg table runs write the output port to; null without a transformation
 */
public record ProductResources(String product, int major, String version, LifecycleStatus status, String topic,
                               String deadLetterTopic, String rawTable, String outputTable) {
}
