package dev.meshplatform.app.security;

import dev.meshplatform.app.config.MeshSecurityProperties;
import dev.meshplatform.app.config.MeshStorageProperties;
import dev.meshplatform.app.infrastructure.OwnerOnlyFiles;
import dev.meshplatform.registry.api.ApiKeyStore;
import dev.meshplatform.registry.api.IssuedApiKey;
import dev.meshplatform.registry.api.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.nio.file.Path;

/**
 * Makes sure somebody can administer a new platform: when no admin key exists and none is configured, issues one
 * and writes it to a file that only its owner can read. The key never goes to the log.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class BootstrapAdminKey implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdminKey.class);

    private final ApiKeyStore keys;
    private final MeshSecurityProperties security;
    private final MeshStorageProperties storage;

    BootstrapAdminKey(ApiKeyStore keys, MeshSecurityProperties security, MeshStorageProperties storage) {
        this.keys = keys;
        this.security = security;
        this.storage = storage;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (security.bootstrapAdminKey() != null && !security.bootstrapAdminKey().isBlank()) {
            return;
        }
        if (keys.hasActiveAdminKey()) {
            return;
        }
        IssuedApiKey key = keys.issue("bootstrap admin key", Role.PLATFORM_ADMIN, null, null, "platform");
        Path file = security.keyFileIn(storage).toAbsolutePath();
        OwnerOnlyFiles.write(file, key.secret() + "\n", "the bootstrap admin key");
        log.warn("No admin key existed: issued bootstrap admin key {} and wrote it to {} (readable by its owner "
                + "only). Issue your own admin keys, then revoke this one.", key.key().id(), file);
    }
}
