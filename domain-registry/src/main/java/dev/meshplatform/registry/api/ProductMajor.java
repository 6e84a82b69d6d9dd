package dev.meshplatform.registry.api;

import java.util.Objects;

/**
 * One major version of a product: the unit that lands, runs and is served, and the one value every name the
 * platform gives it derives from. Domain and product names are lower-kebab without double dashes, so the names below
 * cannot collide: dashes become single underscores, {@code __} and {@code .} never occur inside a name, and each kind
 * of name has a shape no other kind has.
 */
public record ProductMajor(String domain, String product, int major) {

    public ProductMajor {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(product, "product");
        if (major < 0) {
            throw new IllegalArgumentException("major must not be negative: " + major);
        }
    }

    public static ProductMajor of(ProductVersionView version) {
        return new ProductMajor(version.domain(), version.product(), version.major());
    }

    /** The Kafka topic: {@code <domain>.<product>.v<major>}. */
    public String topic() {
        return domain + "." + product + ".v" + major;
    }

    /** The dead-letter topic: the topic with {@code .dlq}, so it has one dot more than any topic. */
    public String deadLetterTopic() {
        return topic() + ".dlq";
    }

    /** The key of the major's landing job, run slot and schedule: {@code <domain>/<product>/v<major>}. */
    public String key() {
        return domain + "/" + product + "/v" + major;
    }

    /** The catalog namespace of the domain's tables. */
    public String namespace() {
        return sqlName(domain);
    }

    /**
     * The output table: {@code <product>_v<major>}, dashes as underscores. The last {@code _v} starts the major (a
     * major has digits only), so no two products or majors share it; it never holds {@code __}.
     */
    public String outputTable() {
        return sqlName(product) + "_v" + major;
    }

    /** The raw table: the output table's name with {@code __raw}, a suffix no output table can have. */
    public String rawTable() {
        return outputTable() + "__raw";
    }

    /**
     * The raw table's name before names were made collision-free: {@code <product>_raw_v<major>}, which product
     * {@code <product>-raw}'s output table shares. Kept only to migrate such tables by renaming them.
     */
    public String legacyRawTable() {
        return sqlName(product) + "_raw_v" + major;
    }

    /** The Spark SQL view other products' transformations read it by: {@code <domain>__<product>_v<major>}. */
    public String inputView() {
        return sqlName(domain) + "__" + outputTable();
    }

    private static String sqlName(String name) {
        return name.replace('-', '_');
    }

    @Override
    public String toString() {
        return key();
    }
}
