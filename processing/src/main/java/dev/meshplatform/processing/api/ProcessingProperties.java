package dev.meshplatform.processing.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.Map;

/**
 * Settings of the {@code mesh.processing} area.
 *
 * @param sparkMaster       where Spark runs: {@code local[*]} inside the platform's JVM (the embedded default), or a
 *                          cluster URL such as {@code spark://host:7077}
 * @param shufflePartitions Spark's {@code spark.sql.shuffle.partitions}; small by default because products are small
 *                          on one machine
 * @param sparkConf         further Spark settings passed as they are (e.g. {@code spark.executor.memory})
 */
@ConfigurationProperties("mesh.processing")
public record ProcessingProperties(
        @DefaultValue("local[*]") String sparkMaster,
        @DefaultValue("8") int shufflePartitions,
        Map<String, String> sparkConf) {

    public ProcessingProperties {
        sparkConf = sparkConf == null ? Map.of() : Map.copyOf(sparkConf);
    }
}
