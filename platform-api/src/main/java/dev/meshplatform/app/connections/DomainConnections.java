package dev.meshplatform.app.connections;

import java.util.List;

/**
 * What a domain's own team needs to produce to its products' topics with its own Kafka client, and the names of its
 * products' topics and tables.
 *
 * @param domain   the domain
 * @param kafka    how to reach the broker
 * @param products each served major of the domain's products, by product and major
 */
public record DomainConnections(String domain, KafkaAccess kafka, List<ProductResources> products) {
}
