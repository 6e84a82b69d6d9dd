package dev.meshplatform.registry.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A database of its own for a test: on the PostgreSQL server named by {@code MESH_TEST_POSTGRES_URL} (a JDBC URL
 * of a database to connect to for CREATE/DROP DATABASE, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}),
 * else an in-memory H2 database, so that the tests pass on a machine without PostgreSQL.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String POSTGRES_URL_VARIABLE = "MESH_TEST_POSTGRES_URL";

    private static TestDatabase shared;

    private final String url;
    private final String user;
    private final String password;
    private final String adminUrl;
    private final String name;

    private TestDatabase(String url, String user, String password, String adminUrl, String name) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.adminUrl = adminUrl;
        this.name = name;
    }

    /** One database for the whole test JVM, dropped when the JVM exits. */
    public static synchronized TestDatabase shared() {
        if (shared == null) {
            shared = postgresOrH2();
            TestDatabase toDrop = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(toDrop::close, "drop-test-database"));
        }
        return shared;
    }

    public static boolean postgresConfigured() {
        String url = System.getenv(POSTGRES_URL_VARIABLE);
        return url != null && !url.isBlank();
    }

    /** A new database on the configured PostgreSQL server, or in-memory H2 when none is configured. */
    public static TestDatabase postgresOrH2() {
        return postgresConfigured() ? postgres() : h2();
    }

    public static TestDatabase h2() {
        String name = "mesh_test_" + UUID.randomUUID().toString().replace("-", "");
        return new TestDatabase("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "", null, name);
    }

    public static TestDatabase postgres() {
        String adminUrl = System.getenv(POSTGRES_URL_VARIABLE);
        String user = env("MESH_TEST_POSTGRES_USER", "postgres");
        String password = env("MESH_TEST_POSTGRES_PASSWORD", "");
        String name = "mesh_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        execute(adminUrl, user, password, "create database " + name);
        int slash = adminUrl.lastIndexOf('/');
        int query = adminUrl.indexOf('?', slash);
        String url = adminUrl.substring(0, slash + 1) + name + (query < 0 ? "" : adminUrl.substring(query));
        return new TestDatabase(url, user, password, adminUrl, name);
    }

    public boolean isPostgres() {
        return adminUrl != null;
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** The Spring properties that point a context at this database. */
    public Map<String, String> springProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", url);
        properties.put("spring.datasource.username", user);
        properties.put("spring.datasource.password", password);
        return properties;
    }

    /**
     * Drops the database. At JVM exit the Spring contexts that use it close concurrently with this: it waits (up to
     * 20 s) for their connections to go, so that their services stop against a live database instead of hanging in
     * connection timeouts, then drops it, forcing whatever is still connected.
     */
    @Override
    public synchronized void close() {
        if (isPostgres()) {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (othersConnected() && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
            }
            execute(adminUrl, user, password, "drop database if exists " + name + " with (force)");
        }
    }

    private boolean othersConnected() {
        try (Connection c = DriverManager.getConnection(adminUrl, user, password);
             java.sql.PreparedStatement s = c.prepareStatement(
                     "select count(*) from pg_stat_activity where datname = ? and pid <> pg_backend_pid()")) {
            s.setString(1, name);
            try (java.sql.ResultSet rows = s.executeQuery()) {
                return rows.next() && rows.getLong(1) > 0;
            }
        } catch (SQLException e) {
            return false;
        }
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run '" + sql + "' on " + url + ": " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    @Override
    public String toString() {
        return (isPostgres() ? "PostgreSQL " : "H2 ") + name;
    }
}
