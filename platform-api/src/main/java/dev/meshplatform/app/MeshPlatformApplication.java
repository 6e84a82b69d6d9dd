package dev.meshplatform.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Mesh Platform: one Spring Boot application that composes the registry, ingestion, processing and governance. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MeshPlatformApplication {

    public static void main(String[] args) {
        SpringApplication.run(MeshPlatformApplication.class, args);
    }
}
