package dev.meshplatform.processing.runs;

import java.util.Map;

/**
 * How a run JVM starts Spark, sent as the first line on its standard input before any run is known, so that a JVM
 * can start (and warm up) while the previous run still goes on.
 *
 * @param master     {@code local[n]} for n task slots in the run JVM itself, or a cluster's URL
 * @param taskSlots  the cores the run may hold ({@code spark.cores.max} on a cluster)
 * @param sparkConf  further Spark settings, as the platform's operator gave them
 * @param catalog    the Iceberg catalog's properties for platform code (JDBC catalog, S3 file IO, credentials): the
 *                   same for every run, so a JVM connects while it warms up
 */
record RunJvmBoot(String master, int taskSlots, int shufflePartitions, Map<String, String> sparkConf,
                         Map<String, String> catalog) {

    public RunJvmBoot {
        sparkConf = sparkConf == null ? Map.of() : Map.copyOf(sparkConf);
        catalog = catalog == null ? Map.of() : Map.copyOf(catalog);
    }

    @Override
    public String toString() {
        return "RunJvmBoot[" + master + ", " + taskSlots + " task slots]";
    }
}
