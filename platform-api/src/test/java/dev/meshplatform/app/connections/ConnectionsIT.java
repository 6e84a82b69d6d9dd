package dev.meshplatform.app.connections;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.PlatformIT;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A domain team produces to its own topic with a plain Kafka client, from what its connections say; an operator
 * reads the warehouse with the S3 credentials and the catalog URI the warehouse resource points to, while the
 * platform runs. Nobody else learns any of it, and no answer holds a secret.
 */
class ConnectionsIT extends PlatformIT {

    @Test
    void theDomainsOwnClientProducesToItsTopicFromItsConnections() throws Exception {
        String domain = createDomain("conn");
        String owner = issueKey("DOMAIN_OWNER", domain);
        String version = versionPath(domain, "people", "1.0.0");
        assertThat(api.put(version, owner, DescriptorJson.governed(DescriptorJson.complete())).status())
                .isIn(200, 201);
        assertThat(api.post(version + "/transitions", ADMIN_KEY, Map.of("to", "PUBLISHED")).status())
                .isEqualTo(200);

        Api.Response answer = api.get("/api/v1/domains/" + domain + "/connections", owner);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode connections = answer.json();
        JsonNode kafka = connections.path("kafka");
        assertThat(kafka.path("securityProtocol").asString()).isEqualTo("PLAINTEXT");
        assertThat(kafka.path("embedded").asBoolean()).isTrue();
        JsonNode people = connections.path("products").get(0);
        assertThat(people.path("topic").asString()).isEqualTo(domain + ".people.v1");
        assertThat(people.path("deadLetterTopic").asString()).isEqualTo(domain + ".people.v1.dlq");
        assertThat(people.path("rawTable").asString()).isEqualTo(domain.replace('-', '_') + ".people_v1__raw");

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.path("bootstrapServers").asString(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(people.path("topic").asString(),
                    "{\"id\":7,\"name\":\"Grace\",\"updated_at\":\"2026-11-29T08:00:00Z\"}"
                            .getBytes(StandardCharsets.UTF_8))).get();
        }
        String landing = "/api/v1/domains/" + domain + "/products/people/landing";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() ->
                api.get(landing, owner).json().path("items").path(0).path("recordsLanded").asLong() == 1);

        // The product's own resource names them for its domain, and for nobody else.
        JsonNode product = api.get("/api/v1/domains/" + domain + "/products/people", owner).json();
        assertThat(product.path("name").asString()).isEqualTo("people");
        assertThat(product.path("resources").path(0).path("topic").asString()).isEqualTo(people.path("topic")
                .asString());
        assertThat(product.path("resources").path(0).path("rawTable").asString()).isEqualTo(people
                .path("rawTable").asString());
        assertThat(api.get("/api/v1/domains/" + domain + "/products/people", issueKey("CONSUMER", domain)).json()
                .path("resources").isNull()).isTrue();

        String member = issueKey("DOMAIN_MEMBER", domain);
        assertThat(api.get("/api/v1/domains/" + domain + "/connections", member).status()).isEqualTo(200);
        for (String outsider : List.of(issueKey("CONSUMER", domain), issueKey("DOMAIN_OWNER", createDomain("else")))) {
            Api.Response refused = api.get("/api/v1/domains/" + domain + "/connections", outsider);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.body()).doesNotContain(kafka.path("bootstrapServers").asString());
        }
        assertThat(api.get("/api/v1/domains/no-such-domain/connections", ADMIN_KEY).status()).isEqualTo(404);
    }

    @Test
    void anOperatorReadsTheWarehouseWhileThePlatformRuns() throws Exception {
        String domain = createDomain("wh");
        String version = versionPath(domain, "people", "1.0.0");
        api.put(version, ADMIN_KEY, DescriptorJson.governed(DescriptorJson.complete()));
        assertThat(api.post(version + "/transitions", ADMIN_KEY, Map.of("to", "PUBLISHED")).status())
                .isEqualTo(200);

        Api.Response answer = api.get("/api/v1/warehouse", ADMIN_KEY);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode warehouse = answer.json();
        assertThat(warehouse.path("catalogName").asString()).isEqualTo("mesh");
        assertThat(warehouse.path("location").asString()).isEqualTo("s3://" + warehouse.path("bucket").asString()
                + "/");

        // awscli's way: the shared-credentials file the answer names, and the endpoint it gives.
        Matcher file = Pattern.compile("in (\\S+) \\(profile (\\S+),").matcher(warehouse.path("credentials")
                .asString());
        assertThat(file.find()).as(warehouse.path("credentials").asString()).isTrue();
        Path credentials = Path.of(file.group(1));
        String secret = Files.readAllLines(credentials).stream().filter(l -> l.startsWith("aws_secret_access_key"))
                .findFirst().orElseThrow().split("=")[1].trim();
        assertThat(answer.body()).doesNotContain(secret);
        try (S3Client s3 = S3Client.builder().region(Region.of(warehouse.path("region").asString()))
                .endpointOverride(URI.create(warehouse.path("s3Endpoint").asString()))
                .forcePathStyle(warehouse.path("pathStyleAccess").asBoolean())
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(ProfileCredentialsProvider.builder().profileFile(ProfileFile.builder()
                        .content(credentials).type(ProfileFile.Type.CREDENTIALS).build())
                        .profileName(file.group(2)).build())
                .build()) {
            assertThat(s3.listObjectsV2(r -> r.bucket(warehouse.path("bucket").asString())).sdkHttpResponse()
                    .isSuccessful()).isTrue();
        }

        // Another engine's way into the catalog: its JDBC URI, while the platform holds the H2 file.
        List<String> tables = new ArrayList<>();
        try (Connection catalog = DriverManager.getConnection(warehouse.path("catalogUri").asString(),
                warehouse.path("catalogUser").asString(), "");
             ResultSet rows = catalog.createStatement().executeQuery(
                     "SELECT catalog_name, table_namespace, table_name FROM iceberg_tables")) {
            while (rows.next()) {
                tables.add(rows.getString(1) + ":" + rows.getString(2) + "." + rows.getString(3));
            }
        }
        assertThat(tables).contains(warehouse.path("catalogName").asString() + ":" + domain.replace('-', '_')
                + ".people_v1__raw");

        for (String role : List.of("DOMAIN_OWNER", "DOMAIN_MEMBER", "CONSUMER")) {
            assertThat(api.get("/api/v1/warehouse", issueKey(role, domain)).status()).as(role).isEqualTo(403);
        }
    }
}
