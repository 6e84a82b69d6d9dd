package dev.meshplatform.ingestion.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Settings of the {@code mesh.ingestion} area; docs/configuration.md describes each.
 *
 * @param defaultPartitions        partitions of a product topic whose descriptor names none
 * @param defaultReplicationFactor replicas of a product topic whose descriptor names none; 0 takes the broker's
 *                                 {@code default.replication.factor}
 * @param maxRecordSize            a larger event is rejected (HTTP) or dead-lettered (landing); below the topic's
 *                                 {@code max.message.bytes}, which is twice this
 * @param maxBatchSize             a larger HTTP event batch answers 413
 * @param flushInterval            the landing job commits at least this often while events arrive
 * @param flushRecords             … or when this many events are buffered
 * @param flushSize                … or when the buffered events are this large
 * @param leaseDuration            how long a landing job's lease lasts without renewal; another instance takes
 *                                 over a product after it expires
 * @param snapshotMaxAge           raw-table snapshots older than this are expired (the newest are always kept)
 * @param snapshotsToKeep          the newest snapshots kept whatever their age
 * @param snapshotsMax             the most snapshots a raw table keeps whatever their age: the bound on its
 *                                 metadata under frequent commits (expiry also runs as soon as twice this many exist)
 * @param maintenanceInterval      how often raw tables are maintained (snapshot expiry, old metadata)
 * @param idempotencyRetention     how long an Idempotency-Key of an event batch is remembered
 * @param stalledCommitAfter       a landing commit in flight this long shows as RETRYING in the job's status
 * @param embeddedKafka            the in-process broker of the embedded default
 */
@ConfigurationProperties("mesh.ingestion")
public record IngestionProperties(
        @DefaultValue("6") int defaultPartitions,
        @DefaultValue("0") int defaultReplicationFactor,
        @DefaultValue("1MB") DataSize maxRecordSize,
        @DefaultValue("16MB") DataSize maxBatchSize,
        @DefaultValue("1s") Duration flushInterval,
        @DefaultValue("200000") int flushRecords,
        @DefaultValue("128MB") DataSize flushSize,
        @DefaultValue("15s") Duration leaseDuration,
        @DefaultValue("1h") Duration snapshotMaxAge,
        @DefaultValue("20") int snapshotsToKeep,
        @DefaultValue("100") int snapshotsMax,
        @DefaultValue("5m") Duration maintenanceInterval,
        @DefaultValue("24h") Duration idempotencyRetention,
        @DefaultValue("30s") Duration stalledCommitAfter,
        @DefaultValue EmbeddedKafka embeddedKafka) {

    public IngestionProperties {
        if (stalledCommitAfter.isZero() || stalledCommitAfter.isNegative()) {
            throw new IllegalArgumentException("mesh.ingestion.stalled-commit-after must be positive, not "
                    + stalledCommitAfter);
        }
    }

    /**
     * @param port           the broker's port on 127.0.0.1, the one producers connect to; 0 picks a free one at every
     *                       start
     * @param controllerPort the KRaft controller's port on 127.0.0.1; 0 picks a free one
     */
    public record EmbeddedKafka(@DefaultValue("9092") int port,
                                @DefaultValue("9093") int controllerPort) {
    }

    /** The topic's {@code max.message.bytes}: room above the platform's own limit, so that larger events land in the dead-letter topic. */
    public int topicMaxMessageBytes() {
        return (int) Math.min(Integer.MAX_VALUE / 2, maxRecordSize.toBytes() * 2);
    }

    /** The dead-letter topic's {@code max.message.bytes}: the source's limit plus room for the reason headers. */
    public int deadLetterMaxMessageBytes() {
        return topicMaxMessageBytes() + 64 * 1024;
    }
}
