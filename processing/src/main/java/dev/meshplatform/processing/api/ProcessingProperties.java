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
 * @param maxConcurrentRuns runs of different products that run at the same time on one instance
 * @param staleRunAfter     a running run whose instance has not reported for this long is marked FAILED (its
 *                          instance stopped)
 * @param compactionInterval how often raw and output tables are compacted; 0 turns it off
 */
@ConfigurationProperties("mesh.processing")
public record ProcessingProperties(
        @DefaultValue("local[*]") String sparkMaster,
        @DefaultValue("8") int shufflePartitions,
        Map<String, String> sparkConf,
        @DefaultValue("2") int maxConcurrentRuns,
        @DefaultValue("30s") java.time.Duration staleRunAfter,
        @DefaultValue("15m") java.time.Duration compactionInterval) {

    public ProcessingProperties {
        sparkConf = sparkConf == null ? Map.of() : Map.copyOf(sparkConf);
    }
}
