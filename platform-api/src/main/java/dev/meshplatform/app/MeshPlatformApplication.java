package dev.meshplatform.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Mesh Platform: one Spring Boot application that composes the registry, ingestion, processing and governance. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MeshPlatformApplication {

    public static void main(String[] args) {
        // The embedded catalog's H2 TCP server binds to loopback only; H2 reads this once, before its first use.
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
        SpringApplication.run(MeshPlatformApplication.class, args);
    }
}
