package dev.meshplatform.processing.runs;

import dev.meshplatform.app.config.MeshStorageProperties;
import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.processing.api.RunCatalog;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's platform session connects its own Iceberg JDBC catalog (connections to the catalog's database, an S3FileIO);
 * closing the session's catalogs gives them back. Made and closed many times, the catalog database's sessions do not
 * grow, where each unclosed session would keep its connection for good.
 */
class SessionCatalogsIT extends PlatformIT {

    private static final int SESSIONS = 5;

    @Autowired
    SparkSession spark;
    @Autowired
    RunCatalog runCatalog;
    @Autowired
    MeshStorageProperties storage;

    @Test
    void closingAPlatformSessionsCatalogsGivesTheirConnectionsBack() throws SQLException {
        try (Connection observer = DriverManager.getConnection(storage.catalogJdbcUrl(),
                storage.catalog().username(), storage.catalog().password())) {
            // A first session warms up whatever the catalog keeps once per JVM.
            useAndClose(SandboxedRun.platformSession(spark, runCatalog.properties()));
            int before = openSessions(observer);

            for (int i = 0; i < SESSIONS; i++) {
                SparkSession session = SandboxedRun.platformSession(spark, runCatalog.properties());
                useAndClose(session);
            }
            assertThat(openSessions(observer)).as("catalog database sessions after %d platform sessions", SESSIONS)
                    .isLessThanOrEqualTo(before);

            // The same without closing: each session keeps its connection (the leak the closing prevents).
            SparkSession unclosed = SandboxedRun.platformSession(spark, runCatalog.properties());
            use(unclosed);
            assertThat(openSessions(observer)).isGreaterThan(before);
            SessionCatalogs.close(unclosed);
            assertThat(openSessions(observer)).isLessThanOrEqualTo(before);
        }
    }

    private static void useAndClose(SparkSession session) {
        use(session);
        SessionCatalogs.close(session);
        // Twice is harmless (a run JVM may close on more than one path).
        SessionCatalogs.close(session);
    }

    // Loads the catalog and makes it connect: a namespace list is a query on the catalog's database.
    private static void use(SparkSession session) {
        session.sql("SHOW NAMESPACES IN " + SandboxedRun.CATALOG).collectAsList();
    }

    private static int openSessions(Connection observer) throws SQLException {
        try (ResultSet count = observer.createStatement()
                .executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
            count.next();
            return count.getInt(1);
        }
    }
}
