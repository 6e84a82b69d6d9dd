package dev.meshplatform.ingestion.landing;

import dev.meshplatform.ingestion.api.RawTables;
import dev.meshplatform.registry.testsupport.Descriptors;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The partition of each row, computed once per run of rows that share the source objects, into Iceberg files. */
class RawFileWriterTest {

    @Test
    void rowsLandInTheDayOfTheirIngestionTimeWhenABatchSpansTwoDays() {
        InMemoryCatalog catalog = new InMemoryCatalog();
        catalog.initialize("raw", Map.of());
        catalog.createNamespace(Namespace.of("sales"));
        Schema schema = IcebergSchemas.rawTableSchema(List.of(Descriptors.field("id", "long", true, null)));
        Table table = catalog.createTable(TableIdentifier.of("sales", "orders_raw"), schema,
                IcebergSchemas.rawTablePartitioning(schema));

        OffsetDateTime beforeMidnight = OffsetDateTime.parse("2026-11-29T23:59:59.999Z");
        OffsetDateTime sameInstantOtherObject = OffsetDateTime.parse("2026-11-29T23:59:59.999Z");
        OffsetDateTime afterMidnight = OffsetDateTime.parse("2026-11-30T00:00:00Z");
        List<Record> rows = new ArrayList<>();
        long offset = 0;
        for (OffsetDateTime readAt : List.of(beforeMidnight, beforeMidnight, beforeMidnight, sameInstantOtherObject,
                afterMidnight, afterMidnight, beforeMidnight, beforeMidnight)) {
            GenericRecord row = GenericRecord.create(schema);
            row.setField("id", offset);
            row.setField(RawTables.SOURCE_PARTITION, 0);
            row.setField(RawTables.SOURCE_OFFSET, offset++);
            row.setField(RawTables.INGESTED_AT, readAt);
            rows.add(row);
        }

        RawFileWriter writer = new RawFileWriter(table, 1);
        writer.write(rows.subList(0, 5));
        writer.write(rows.subList(5, rows.size()));
        Map<Integer, Long> recordsByDay = new TreeMap<>();
        for (DataFile file : writer.finish()) {
            recordsByDay.merge(file.partition().get(0, Integer.class), file.recordCount(), Long::sum);
        }

        int lastDayOfNovember = (int) beforeMidnight.toLocalDate().toEpochDay();
        assertThat(recordsByDay).containsExactly(Map.entry(lastDayOfNovember, 6L),
                Map.entry(lastDayOfNovember + 1, 2L));
    }
}
