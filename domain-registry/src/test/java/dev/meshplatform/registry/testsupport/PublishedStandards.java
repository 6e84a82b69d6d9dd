package dev.meshplatform.registry.testsupport;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The standards' published JSON Schemas, read from the {@code shared/standards} folder beside the repository; the
 * repository carries no copy. A test that needs one is skipped, saying so, where the folder is absent.
 */
public final class PublishedStandards {

    private PublishedStandards() {
    }

    /** The published ODCS v3.1.0 JSON Schema. */
    public static Schema odcsSchema() {
        return schema("odcs-json-schema-v3.1.0.json", "ODCS v3.1.0");
    }

    /** The published ODPS v1.0.0 JSON Schema. */
    public static Schema odpsSchema() {
        return schema("odps-json-schema-v1.0.0.json", "ODPS v1.0.0");
    }

    private static Schema schema(String name, String standard) {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        Path file = root == null ? null : root.resolve("../shared/standards/" + name).normalize();
        assumeThat(file != null && Files.exists(file))
                .as("the published " + standard + " JSON Schema is not at ../shared/standards/ beside the "
                        + "repository: conformance not checked")
                .isTrue();
        try {
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09);
            return registry.getSchema(JsonMapper.builder().build().readTree(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }
}
