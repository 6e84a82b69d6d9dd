package dev.meshplatform.app.connections;

import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.ProductVersionView;
import org.springframework.stereotype.Component;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The topics and tables of each served product major: what a domain's own team connects its tools to. */
@Component
public class ProductResourceNames {

    private final ProductCatalog products;

    ProductResourceNames(ProductCatalog products) {
        this.products = products;
    }

    /** Every served major of the domain's products, by product and major. */
    public List<ProductResources> ofDomain(String domain) {
        return of(major -> major.domain().equals(domain));
    }

    /** Every served major of one product. */
    public List<ProductResources> ofProduct(String domain, String product) {
        return of(major -> major.domain().equals(domain) && major.product().equals(product));
    }

    private List<ProductResources> of(Predicate<ProductMajor> which) {
        return products.servedMajors().stream()
                .filter(which)
                .sorted(Comparator.comparing(ProductMajor::product).thenComparing(ProductMajor::major))
                .map(this::resources)
                .flatMap(Optional::stream)
                .toList();
    }

    private Optional<ProductResources> resources(ProductMajor major) {
        return products.newest(major.domain(), major.product(), major.major(), LifecycleStatus.served())
                .map(version -> resources(major, version));
    }

    private static ProductResources resources(ProductMajor major, ProductVersionView version) {
        boolean kafkaInput = version.descriptor().kafkaInput().isPresent();
        boolean transformation = version.descriptor().transformation() != null;
        return new ProductResources(major.product(), major.major(), version.version(), version.status(),
                kafkaInput ? major.topic() : null, kafkaInput ? major.deadLetterTopic() : null,
                kafkaInput ? major.namespace() + "." + major.rawTable() : null,
                transformation ? major.namespace() + "." + major.outputTable() : null);
    }
}
