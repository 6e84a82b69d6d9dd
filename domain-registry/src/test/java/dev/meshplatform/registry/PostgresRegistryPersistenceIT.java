package dev.meshplatform.registry;

import dev.meshplatform.registry.testsupport.TestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The registry's contract on the PostgreSQL server named by {@code MESH_TEST_POSTGRES_URL} (.ci/run sets it), in a
 * database of its own that is dropped afterwards. Without that variable it runs on H2, so a fresh machine passes.
 * The database is the test JVM's ({@link TestDatabase#shared()}), dropped at the JVM's exit once the cached Spring
 * context has closed its connections: dropped after the class, it waited out its 20 s for the still open context.
 */
class PostgresRegistryPersistenceIT extends RegistryPersistenceContract {

    static final TestDatabase DATABASE = TestDatabase.shared();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DATABASE.springProperties().forEach((k, v) -> registry.add(k, () -> v));
    }
}
