package dev.meshplatform.ingestion.landing;

import dev.meshplatform.app.testsupport.PlatformIT;
import dev.meshplatform.ingestion.api.RawTables;
import dev.meshplatform.registry.api.SchemaField;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The writer fence on a real raw table (Iceberg JDBC catalog, the S3 server): a zombie writer whose commit races a
 * new owner's fence is refused inside the commit; commits by others (maintenance) are retried on fresh metadata and
 * keep the offsets; offsets survive snapshot expiry.
 */
class WriterFenceIT extends PlatformIT {

    @Autowired
    Catalog catalog;

    private Table table;
    private EventContract contract;

    @BeforeEach
    void table() {
        String domain = "fence_" + UUID.randomUUID().toString().substring(0, 8);
        TableIdentifier id = RawTables.rawTable(domain, "events", 1);
        ((SupportsNamespaces) catalog).createNamespace(id.namespace());
        List<SchemaField> fields = List.of(new SchemaField("id", "long", true, null, null, null, null, null));
        var schema = IcebergSchemas.rawTableSchema(fields);
        table = catalog.buildTable(id, schema).withPartitionSpec(IcebergSchemas.rawTablePartitioning(schema))
                .withProperties(Provisioner.RAW_TABLE_PROPERTIES).create();
        contract = new EventContract(fields, table.schema());
    }

    private List<DataFile> files(Table on, long... ids) {
        RawFileWriter writer = new RawFileWriter(on, 1);
        for (long id : ids) {
            Record row = contract.read(("{\"id\": " + id + "}").getBytes(StandardCharsets.UTF_8)).row();
            contract.stamp(row, 0, id, OffsetDateTime.now(ZoneOffset.UTC), OffsetDateTime.now(ZoneOffset.UTC));
            writer.write(List.of(row));
        }
        return writer.finish();
    }

    private List<Long> ids() throws Exception {
        table.refresh();
        List<Long> ids = new ArrayList<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            rows.forEach(r -> ids.add((Long) r.getField("id")));
        }
        ids.sort(Long::compare);
        return ids;
    }

    private Table fresh() {
        return catalog.loadTable(TableIdentifier.parse(table.name().substring(table.name().indexOf('.') + 1)));
    }

    @Test
    void aZombieWhoseCommitRacesTheNewOwnersFenceIsRefused() throws Exception {
        RawTableCommitter zombie = new RawTableCommitter(fresh(), 1, () -> new RawTableCommitter(fresh(), 2).fence());
        new RawTableCommitter(fresh(), 1).fence();
        new RawTableCommitter(fresh(), 1).commit(files(table, 1, 2), Map.of(0, 3L), 2, 0);

        // The zombie passed its epoch check; the new owner fences before its transaction commits.
        List<DataFile> late = files(table, 3, 4);
        assertThatThrownBy(() -> zombie.commit(late, Map.of(0, 5L), 2, 0)).isInstanceOf(FencedException.class);

        assertThat(ids()).containsExactly(1L, 2L);
        RawTableCommitter owner = new RawTableCommitter(fresh(), 2);
        assertThat(owner.committedOffsets()).isEqualTo(Map.of(0, 3L));
        owner.commit(files(table, 3, 4), Map.of(0, 5L), 2, 0);
        assertThat(ids()).containsExactly(1L, 2L, 3L, 4L);

        // Any later attempt of the old epoch is refused before it writes anything.
        assertThatThrownBy(() -> new RawTableCommitter(fresh(), 1).commit(files(table, 99), Map.of(0, 100L), 1, 0))
                .isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> new RawTableCommitter(fresh(), 1).fence()).isInstanceOf(FencedException.class);
        assertThat(owner.committedOffsets()).isEqualTo(Map.of(0, 5L));
    }

    @Test
    void commitsByOthersAreRetriedAndTheOffsetsAndTotalsSurviveExpiry() throws Exception {
        new RawTableCommitter(fresh(), 1).fence();
        // Maintenance commits between the writer's check and its commit: the writer tries again on fresh metadata.
        int[] interruptions = {0};
        RawTableCommitter writer = new RawTableCommitter(fresh(), 1, () -> {
            if (interruptions[0]++ < 2) {
                fresh().updateProperties().set("maintenance.run", String.valueOf(interruptions[0])).commit();
            }
        });
        writer.commit(files(table, 1), Map.of(0, 2L, 1, 7L), 1, 0);
        writer.commit(files(table, 2), Map.of(0, 3L), 1, 4);
        assertThat(ids()).containsExactly(1L, 2L);
        assertThat(writer.committedOffsets()).isEqualTo(Map.of(0, 3L, 1, 7L));
        assertThat(fresh().properties()).containsEntry("maintenance.run", "2");

        Table current = fresh();
        long newest = current.currentSnapshot().snapshotId();
        current.expireSnapshots().expireOlderThan(System.currentTimeMillis() + 1).retainLast(1).commit();
        Table expired = fresh();
        assertThat(expired.snapshots()).extracting(s -> s.snapshotId()).containsExactly(newest);
        assertThat(new RawTableCommitter(expired, 1).committedOffsets()).isEqualTo(Map.of(0, 3L, 1, 7L));
        // Totals travel with the offsets: counted once despite the retried commit, and kept past expiry.
        assertThat(new RawTableCommitter(expired, 1).totals()).isEqualTo(new RawTableCommitter.Totals(2, 4));
        assertThat(ids()).containsExactly(1L, 2L);
    }

    @Test
    void metadataStaysBoundedUnderFrequentCommits() throws Exception {
        // A smaller bound than the default 100 keeps the test quick; the rule is the same. 400 commits are 16 rounds
        // of expiry; -Dmesh.test.metadata-commits=1000 (or more) runs longer.
        int max = 25;
        int commits = Integer.getInteger("mesh.test.metadata-commits", 400);
        new RawTableCommitter(fresh(), 1).fence();
        RawTableCommitter writer = new RawTableCommitter(table, 1);
        // One data file appended again and again: what grows with commits is the metadata, which this is about.
        List<DataFile> file = files(table, 1);
        long largestEarly = 0;
        long largestLate = 0;
        int mostSnapshots = 0;
        for (int commit = 1; commit <= commits; commit++) {
            writer.commit(file, Map.of(0, commit + 1L), 1, 0);
            // As the landing job does after each commit: expiry as soon as twice the bound is reached.
            if (SnapshotRetention.due(table, max)) {
                SnapshotRetention.expire(table, System.currentTimeMillis(), java.time.Duration.ofHours(1), 20, max);
                table.refresh();
            }
            mostSnapshots = Math.max(mostSnapshots, SnapshotRetention.count(table));
            if (commit % 5 != 0) {
                continue;
            }
            var metadata = ((org.apache.iceberg.HasTableOperations) table).operations().current();
            long size = table.io().newInputFile(metadata.metadataFileLocation()).getLength();
            if (commit > commits / 4 && commit <= commits / 2) {
                largestEarly = Math.max(largestEarly, size);
            } else if (commit > commits / 2) {
                largestLate = Math.max(largestLate, size);
            }
            assertThat(metadata.previousFiles()).hasSizeLessThanOrEqualTo(20);
        }
        System.out.printf("Raw table metadata after %d commits: at most %d snapshots, largest metadata file %d bytes "
                + "in the second half (second quarter: %d bytes)%n", commits, mostSnapshots, largestLate, largestEarly);
        assertThat(mostSnapshots).isLessThanOrEqualTo(2 * max);
        assertThat(largestLate).as("the metadata file does not grow with the commits").isLessThanOrEqualTo(
                largestEarly + largestEarly / 10);
        assertThat(writer.committedOffsets()).isEqualTo(Map.of(0, commits + 1L));
        assertThat(writer.totals()).isEqualTo(new RawTableCommitter.Totals(commits, 0));
    }
}
