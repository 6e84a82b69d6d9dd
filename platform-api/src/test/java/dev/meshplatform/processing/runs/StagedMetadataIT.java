package dev.meshplatform.processing.runs;

import dev.meshplatform.app.testsupport.PlatformIT;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileMetadata;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quality rules count rows and nulls from a staged snapshot's metadata: on a real Iceberg table on S3, every count
 * the metadata gives equals the query's, and where it cannot be exact (a column without counts, a nested path, a
 * snapshot with delete files) it gives none and the rule queries.
 */
class StagedMetadataIT extends PlatformIT {

    @Autowired
    SparkSession spark;
    @Autowired
    Catalog catalog;

    private long count(String table, String where) {
        return spark.sql("SELECT count(*) FROM " + table + (where.isEmpty() ? "" : " WHERE " + where)).first()
                .getLong(0);
    }

    @Test
    void rowsAndNullsOfABranchAreTheQuerysWhereTheMetadataIsExactAndAbsentElsewhere() throws Exception {
        String namespace = unique("staged_meta").replace('-', '_');
        String name = "mesh." + namespace + ".t";
        spark.sql("CREATE NAMESPACE IF NOT EXISTS mesh." + namespace);
        spark.sql("CREATE TABLE " + name + " (id BIGINT NOT NULL, name STRING, Score DOUBLE, nested STRUCT<a: STRING>)"
                + " USING iceberg TBLPROPERTIES ('format-version'='2')");
        String rows = "SELECT id, CASE WHEN id %% 7 = 0 THEN NULL ELSE concat('n', id) END AS name, "
                + "CASE WHEN id %% 3 = 0 THEN NULL ELSE id * 1.5 END AS Score, "
                + "named_struct('a', CASE WHEN id %% 5 = 0 THEN NULL ELSE 'x' END) AS nested FROM range(%d, %d)";
        // Several files on main, then more on a branch: the branch's snapshot holds both.
        spark.sql(String.format(rows, 0, 1000)).repartition(3).writeTo(name).append();
        Table table = catalog.loadTable(TableIdentifier.of(namespace, "t"));
        table.manageSnapshots().createBranch("staged", table.currentSnapshot().snapshotId()).commit();
        String branch = name + ".`branch_staged`";
        spark.sql(String.format(rows, 1000, 1500)).repartition(2).writeTo(branch).append();

        StagedMetadata staged = StagedMetadata.of(table, "staged");
        assertThat(staged.rows()).isEqualTo(OptionalLong.of(count(branch, "")));
        assertThat(staged.rows()).isEqualTo(OptionalLong.of(1500));
        assertThat(staged.nulls("name")).isEqualTo(OptionalLong.of(count(branch, "name IS NULL")));
        assertThat(staged.nulls("name").getAsLong()).isPositive();
        // Any case, as Spark resolves the rule's column.
        assertThat(staged.nulls("SCORE")).isEqualTo(OptionalLong.of(count(branch, "Score IS NULL")));
        assertThat(staged.nulls("id")).isEqualTo(OptionalLong.of(0));
        // A struct has no count of its own, a nested path is left to the query, an unknown column too.
        assertThat(staged.nulls("nested")).isEmpty();
        assertThat(staged.nulls("nested.a")).isEmpty();
        assertThat(staged.nulls("missing")).isEmpty();
        // Main is not the branch.
        assertThat(StagedMetadata.of(table, "main").rows()).isEqualTo(OptionalLong.of(1000));
        assertThat(StagedMetadata.of(table, "no-such-branch").rows()).isEmpty();

        // A file written without counts for a column: that column's nulls are no longer known, the others' still are.
        table.updateProperties().set("write.metadata.metrics.column.name", "none").commit();
        spark.sql(String.format(rows, 1500, 1600)).writeTo(branch).append();
        StagedMetadata withoutCounts = StagedMetadata.of(table, "staged");
        assertThat(withoutCounts.nulls("name")).isEmpty();
        assertThat(withoutCounts.nulls("score")).isEqualTo(OptionalLong.of(count(branch, "Score IS NULL")));
        assertThat(withoutCounts.rows()).isEqualTo(OptionalLong.of(1600));

        // Delete files take rows away that the summary's total still counts: neither figure is given.
        DeleteFile deletes = FileMetadata.deleteFileBuilder(table.spec()).ofPositionDeletes()
                .withPath(table.location() + "/data/never-read-deletes.parquet").withFormat(FileFormat.PARQUET)
                .withFileSizeInBytes(100).withRecordCount(1).build();
        table.newRowDelta().toBranch("staged").addDeletes(deletes).commit();
        StagedMetadata withDeletes = StagedMetadata.of(table, "staged");
        assertThat(withDeletes.rows()).isEmpty();
        assertThat(withDeletes.nulls("score")).isEmpty();
        assertThat(StagedMetadata.of(table, "main").rows()).isEqualTo(OptionalLong.of(1000));
        spark.sql("DROP TABLE " + name);
    }
}
