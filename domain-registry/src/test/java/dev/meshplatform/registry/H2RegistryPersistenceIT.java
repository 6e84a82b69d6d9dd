package dev.meshplatform.registry;

import dev.meshplatform.registry.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The registry's contract on H2, the embedded default's database. */
class H2RegistryPersistenceIT extends RegistryPersistenceContract {

    static final TestDatabase DATABASE = TestDatabase.h2();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DATABASE.springProperties().forEach((k, v) -> registry.add(k, () -> v));
    }

    @AfterAll
    static void drop() {
        DATABASE.close();
    }
}
