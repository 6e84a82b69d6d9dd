package dev.meshplatform.app.connections;

import dev.meshplatform.registry.api.DomainCatalog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where a domain's own Kafka clients produce, and where an operator's tools find the warehouse: discoverable
 * through the API instead of the log. Consumers get neither; they read through {@code …/data}.
 */
@RestController
@RequestMapping("/api/v1")
class ConnectionsController {

    private final DomainCatalog domains;
    private final ProductResourceNames resources;
    private final KafkaAccess kafka;
    private final WarehouseAccess warehouse;

    ConnectionsController(DomainCatalog domains, ProductResourceNames resources, KafkaAccess kafka,
                          WarehouseAccess warehouse) {
        this.domains = domains;
        this.resources = resources;
        this.kafka = kafka;
        this.warehouse = warehouse;
    }

    @GetMapping("/domains/{domain}/connections")
    @PreAuthorize("@authz.operateIn(#domain)")
    @Tag(name = "Ingestion")
    @Operation(operationId = "getDomainConnections", summary = "How the domain's own clients reach its topics",
            description = "The broker's bootstrap servers and security protocol (never a credential), and for "
                    + "each served major of the domain's products its topic, dead-letter topic, raw table and "
                    + "output table. With them a domain team produces to its own topics with any Kafka client. "
                    + "The domain's owners and members, admins.")
    DomainConnections connections(@PathVariable String domain) {
        domains.get(domain);
        return new DomainConnections(domain, kafka, resources.ofDomain(domain));
    }

    @GetMapping("/warehouse")
    @PreAuthorize("@authz.admin()")
    @Tag(name = "Processing")
    @Operation(operationId = "getWarehouse", summary = "Where the tables are: object store and Iceberg catalog",
            description = "The S3 endpoint, bucket and region, the Iceberg warehouse location, the JDBC catalog's "
                    + "URI as another engine reaches it while the platform runs, and where the S3 credentials "
                    + "are (never the credentials themselves). Platform admins only.")
    WarehouseAccess warehouse() {
        return warehouse;
    }
}
