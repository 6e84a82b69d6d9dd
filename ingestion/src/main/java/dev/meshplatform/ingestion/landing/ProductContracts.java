package dev.meshplatform.ingestion.landing;

import dev.meshplatform.ingestion.api.IngestionException;
import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.RegistryException;
import dev.meshplatform.registry.api.SchemaField;

import java.util.List;
import java.util.Optional;

/** Which released version of a product major defines its events: the newest PUBLISHED or DEPRECATED one. */
final class ProductContracts {

    private final ProductCatalog catalog;

    public ProductContracts(ProductCatalog catalog) {
        this.catalog = catalog;
    }

    /** The version whose event contract applies to a major, if one is released. */
    public Optional<ProductVersionView> current(String domain, String product, int major) {
        try {
            return catalog.newest(domain, product, major, LifecycleStatus.served());
        } catch (RegistryException notFound) {
            return Optional.empty();
        }
    }

    /** The major of the newest published version. */
    public int newestPublishedMajor(String domain, String product) {
        try {
            return catalog.newest(domain, product, LifecycleStatus.PUBLISHED)
                    .map(ProductVersionView::major)
                    .orElseThrow(() -> new IngestionException(IngestionException.Reason.CONFLICT, "not-published",
                            "product " + domain + "/" + product + " has no published version to send events to"));
        } catch (RegistryException e) {
            throw new IngestionException(IngestionException.Reason.NOT_FOUND, e.code(), e.getMessage());
        }
    }

    /** The released version of a major that takes events, or a clear refusal. */
    public ProductVersionView requireKafkaVersion(String domain, String product, int major) {
        ProductVersionView version = current(domain, product, major).orElseThrow(() -> new IngestionException(
                IngestionException.Reason.CONFLICT, "not-published", "product " + domain + "/" + product
                + " has no published version of major " + major));
        if (version.descriptor().kafkaInput().isEmpty()) {
            throw new IngestionException(IngestionException.Reason.CONFLICT, "no-kafka-input", "product " + domain
                    + "/" + product + " v" + major + " declares no kafka input port, so it takes no events");
        }
        return version;
    }

    /** The fields events of this version must have. */
    public static List<SchemaField> eventSchema(ProductVersionView version) {
        InputPort port = version.descriptor().kafkaInput().orElseThrow();
        return port.eventSchema(version.descriptor());
    }
}
