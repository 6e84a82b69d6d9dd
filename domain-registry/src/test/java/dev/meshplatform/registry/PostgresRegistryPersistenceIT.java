package dev.meshplatform.registry;

import dev.meshplatform.registry.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The registry's contract on the PostgreSQL server named by {@code MESH_TEST_POSTGRES_URL} (.ci/run sets it), in a
 * database of its own that is dropped afterwards. Without that variable it runs on H2, so a fresh machine passes.
 */
class PostgresRegistryPersistenceIT extends RegistryPersistenceContract {

    static final TestDatabase DATABASE = TestDatabase.postgresOrH2();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DATABASE.springProperties().forEach((k, v) -> registry.add(k, () -> v));
    }

    @AfterAll
    static void drop() {
        DATABASE.close();
    }
}
