package dev.meshplatform.app.connections;

import dev.meshplatform.registry.api.LifecycleStatus;

import java.util.List;

/**
 * What a domain's own team needs to produce to its products' topics with its own Kafka client, and the names of its
 * products' topics and tables.
 *
 * @param domain   the domain
 * @param kafka    how to reach the broker
 * @param products each served major of the domain's products, newest version first
 */
public record DomainConnections(String domain, KafkaAccess kafka, List<ProductResources> products) {

    /**
     * The platform's resources of one product major.
     *
     * @param topic           the topic events are produced to; null without a Kafka input port
     * @param deadLetterTopic where the landing job puts events the contract refuses; null without a Kafka input port
     * @param rawTable        the Iceberg table events land in, as {@code namespace.table}; null without a Kafka input
     * @param outputTable     the Iceberg table runs write the output port to; null without a transformation
     */
    public record ProductResources(String product, int major, String version, LifecycleStatus status, String topic,
                                   String deadLetterTopic, String rawTable, String outputTable) {
    }
}
