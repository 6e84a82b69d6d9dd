package dev.meshplatform.app.infrastructure;

import dev.meshplatform.app.config.MeshStorageProperties;
import dev.meshplatform.app.connections.KafkaAccess;
import dev.meshplatform.app.connections.WarehouseAccess;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.regex.Pattern;

/** What clients outside the platform need to reach its broker and its warehouse, with every secret left out. */
@Configuration(proxyBeanMethods = false)
class ConnectionsConfiguration {

    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)(password|pwd)=[^&;]*");

    @Bean
    KafkaAccess kafkaAccess(KafkaConfiguration.KafkaRuntime kafka) {
        Object protocol = kafka.connection().clientProperties().getOrDefault("security.protocol", "PLAINTEXT");
        Object mechanism = kafka.connection().clientProperties().get("sasl.mechanism");
        return new KafkaAccess(kafka.connection().bootstrapServers(), String.valueOf(protocol),
                mechanism == null ? null : String.valueOf(mechanism), kafka.embedded() != null);
    }

    @Bean
    WarehouseAccess warehouseAccess(MeshStorageProperties storage, StorageConfiguration.ObjectStore store,
                                    RunCatalogConfiguration.CatalogServer catalog) {
        boolean embedded = storage.s3().startsEmbedded();
        String credentials = embedded
                ? "in " + StorageConfiguration.s3CredentialsFileIn(storage) + " (profile "
                + StorageConfiguration.S3_CREDENTIALS_PROFILE + ", AWS shared-credentials format, readable by the "
                + "platform's user only; new at every start)"
                : store.accessKey() != null ? "the access key and secret the platform is configured with "
                + "(mesh.storage.s3.access-key and secret-key)"
                : "the AWS default credential chain of the platform's host";
        return new WarehouseAccess(store.endpoint() == null ? null : store.endpoint().toString(), store.region(),
                store.bucket(), store.pathStyleAccess(), store.warehouse(), credentials, "jdbc", "mesh",
                PASSWORD_IN_URL.matcher(catalog.url()).replaceAll("$1=****"), storage.catalog().username(),
                embedded);
    }
}
