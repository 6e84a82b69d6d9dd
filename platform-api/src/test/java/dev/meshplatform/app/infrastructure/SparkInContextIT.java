package dev.meshplatform.app.infrastructure;

import dev.meshplatform.app.testsupport.PlatformIT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spark, Spring Boot (Tomcat, Jackson 3), Iceberg, Kafka and the AWS SDK in one JVM: the platform's lazily created
 * SparkSession runs a query inside the running application, and the web layer keeps answering afterwards.
 */
class SparkInContextIT extends PlatformIT {

    @Autowired
    ApplicationContext context;
    @Autowired
    org.apache.iceberg.catalog.Catalog icebergCatalog;

    @Test
    void aLocalSparkSessionRunsAQueryInsideTheApplication() throws Exception {
        SparkSession spark = context.getBean(SparkSession.class);
        assertThat(spark.sparkContext().master()).startsWith("local");
        assertThat(context.getBean(SparkSession.class)).isSameAs(spark);

        spark.range(1, 1001).createOrReplaceTempView("numbers");
        Dataset<Row> result = spark.sql("SELECT sum(id) AS total, count(*) AS n, "
                + "sum(CASE WHEN id % 2 = 0 THEN 1 ELSE 0 END) AS even FROM numbers");
        Row row = result.collectAsList().get(0);
        assertThat(row.getLong(0)).isEqualTo(500_500L);
        assertThat(row.getLong(1)).isEqualTo(1000L);
        assertThat(row.getLong(2)).isEqualTo(500L);

        List<Row> grouped = spark.sql("SELECT country, count(*) AS people FROM VALUES ('NL', 31), ('NL', 45), "
                + "('DE', 29), ('DE', 60) AS raw(country, age) WHERE age > 30 GROUP BY country ORDER BY country")
                .collectAsList();
        assertThat(grouped).extracting(r -> r.getString(0) + "=" + r.getLong(1)).containsExactly("DE=1", "NL=2");

        // The classes the later modules need load next to Boot's: Iceberg's Spark catalog, Kafka's client, S3's.
        Class.forName("org.apache.iceberg.spark.SparkCatalog");
        Class.forName("org.apache.kafka.clients.producer.KafkaProducer");
        Class.forName("software.amazon.awssdk.services.s3.S3Client");

        // Spark and the platform share one Iceberg catalog on the S3 server: a table written by Spark is the
        // platform's, and a staged branch fast-forwards main (write-audit-publish).
        spark.sql("CREATE NAMESPACE IF NOT EXISTS mesh.spark_check");
        spark.sql("CREATE TABLE mesh.spark_check.people (name string, age int) USING iceberg");
        spark.sql("INSERT INTO mesh.spark_check.people VALUES ('Ada', 36)");
        // Branches through Iceberg's API: the platform's session has no Iceberg SQL extensions.
        org.apache.iceberg.Table people = icebergCatalog.loadTable(
                org.apache.iceberg.catalog.TableIdentifier.of("spark_check", "people"));
        people.manageSnapshots().createBranch("staging", people.currentSnapshot().snapshotId()).commit();
        spark.sql("REFRESH TABLE mesh.spark_check.people");
        spark.sql("INSERT INTO mesh.spark_check.people.branch_staging VALUES ('Grace', 45)");
        assertThat(spark.sql("SELECT count(*) FROM mesh.spark_check.people").collectAsList().get(0).getLong(0))
                .isEqualTo(1L);
        people.refresh();
        people.manageSnapshots().fastForwardBranch("main", "staging").commit();
        spark.sql("REFRESH TABLE mesh.spark_check.people");
        assertThat(spark.sql("SELECT name FROM mesh.spark_check.people ORDER BY name").collectAsList())
                .extracting(r -> r.getString(0)).containsExactly("Ada", "Grace");

        assertThat(api.get("/actuator/health", null).json().path("status").asString()).isEqualTo("UP");
        assertThat(api.get("/api/v1/domains", ADMIN_KEY).status()).isEqualTo(200);
    }
}
