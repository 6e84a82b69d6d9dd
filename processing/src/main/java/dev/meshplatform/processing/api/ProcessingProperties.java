package dev.meshplatform.processing.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Settings of the {@code mesh.processing} area; docs/configuration.md describes each.
 *
 * @param sparkMaster                where runs' Spark runs: {@code local[*]} in each run's own JVM (the embedded
 *                                   default; the run gets {@code task-slots-per-run} cores), or a cluster URL such as
 *                                   {@code spark://host:7077} (each run JVM is a driver in client mode)
 * @param shufflePartitions          Spark's {@code spark.sql.shuffle.partitions}
 * @param sparkConf                  further Spark settings for runs, passed as they are
 * @param maxConcurrentRuns          runs that run at the same time on one instance
 * @param maxConcurrentRunsPerDomain runs of one domain that run at the same time on one instance: a domain's stuck
 *                                   runs cannot hold every run slot
 * @param taskSlotsPerRun            the cores (Spark task slots) one run may hold
 * @param taskSlotsPerDomain         the cores all of one domain's running runs may hold together on one instance
 * @param runJvmHeap                 the heap of each run's JVM ({@code -Xmx}); a run that exhausts it fails alone
 * @param warmRunJvms                run JVMs kept started and warmed up ahead of need (each still serves one run)
 * @param runJvmOptions              further options of every run JVM's {@code java} command
 * @param runJvmClassArchive         train a class-data-sharing archive once and start run JVMs with it (where the
 *                                   class path is jars only)
 * @param defaultRunTimeLimit        a run's time limit when its descriptor sets none
 * @param maxRunTimeLimit            the most a descriptor may set; longer settings are cut to this
 * @param staleRunAfter              a running run whose instance has not reported for this long is marked FAILED
 * @param compactionInterval         how often raw and output tables are compacted; 0 turns it off
 * @param compactionFirstPassAfter   how long after start the first compaction pass comes (then every interval), so
 *                                   that an instance restarted more often than the interval still compacts
 * @param compactionTargetFileSize   the size compaction writes files toward (Parquet's estimate before compression:
 *                                   on disk they come out smaller)
 * @param compactionSmallFileSize    files below this size are compacted; larger ones (what compaction wrote) are
 *                                   left alone
 * @param servingFileCacheSize       the memory serving keeps the bytes of small table files in (data files and
 *                                   manifests, which never change once written); 0 turns it off
 * @param servingFileCacheLargestFile files larger than this are read from the object store at every read
 * @param outputRowGroupSize         the row group size of output tables' Parquet files (before compression): a page
 *                                   of a governed read starts at its row group, and decodes the rows before it there
 */
@Validated
@ConfigurationProperties("mesh.processing")
public record ProcessingProperties(
        @DefaultValue("local[*]") @NotBlank String sparkMaster,
        @DefaultValue("8") @Min(1) int shufflePartitions,
        Map<String, String> sparkConf,
        @DefaultValue("2") @Min(1) @Max(64) int maxConcurrentRuns,
        @DefaultValue("1") @Min(1) @Max(64) int maxConcurrentRunsPerDomain,
        @DefaultValue("2") @Min(1) @Max(256) int taskSlotsPerRun,
        @DefaultValue("2") @Min(1) @Max(1024) int taskSlotsPerDomain,
        @DefaultValue("1g") @Pattern(regexp = "\\d+[mgMG]", message = "a heap size such as 512m or 2g") String runJvmHeap,
        @DefaultValue("1") @Min(0) @Max(8) int warmRunJvms,
        List<String> runJvmOptions,
        @DefaultValue("true") boolean runJvmClassArchive,
        @DefaultValue("30m") Duration defaultRunTimeLimit,
        @DefaultValue("2h") Duration maxRunTimeLimit,
        @DefaultValue("30s") Duration staleRunAfter,
        @DefaultValue("15m") Duration compactionInterval,
        @DefaultValue("1m") Duration compactionFirstPassAfter,
        @DefaultValue("128MB") DataSize compactionTargetFileSize,
        @DefaultValue("8MB") DataSize compactionSmallFileSize,
        @DefaultValue("128MB") DataSize servingFileCacheSize,
        @DefaultValue("8MB") DataSize servingFileCacheLargestFile,
        @DefaultValue("1MB") DataSize outputRowGroupSize) {

    public ProcessingProperties {
        sparkConf = sparkConf == null ? Map.of() : Map.copyOf(sparkConf);
        runJvmOptions = runJvmOptions == null ? List.of() : List.copyOf(runJvmOptions);
        if (servingFileCacheSize != null && servingFileCacheSize.isNegative()
                || servingFileCacheLargestFile != null && servingFileCacheLargestFile.isNegative()) {
            throw new IllegalArgumentException("mesh.processing.serving-file-cache-size and "
                    + "serving-file-cache-largest-file must not be negative");
        }
    }

    /** The time limit of a run whose descriptor asks for {@code requested} (null: the default), capped at the max. */
    public Duration runTimeLimit(Duration requested) {
        Duration wanted = requested == null ? defaultRunTimeLimit : requested;
        return wanted.compareTo(maxRunTimeLimit) > 0 ? maxRunTimeLimit : wanted;
    }
}
