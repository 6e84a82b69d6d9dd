package dev.meshplatform.app.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;

/**
 * Settings of the {@code mesh.storage} area.
 *
 * @param dataDir where the embedded default keeps its files (H2 database, generated keys)
 */
@ConfigurationProperties("mesh.storage")
public record MeshStorageProperties(@DefaultValue("./data") Path dataDir) {
}
