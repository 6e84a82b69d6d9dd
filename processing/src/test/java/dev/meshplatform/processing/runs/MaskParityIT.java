package dev.meshplatform.processing.runs;

import dev.meshplatform.registry.api.MaskKind;
import dev.meshplatform.registry.api.Masker;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One table of test values, masked twice: by the Spark expressions runs read their inputs through and by the
 * row-by-row {@link Masker} serving uses. Every mask on every type, nested paths, nulls, decimals, dates, time zones
 * and non-ASCII text: the two must agree value for value, or a run would see an input otherwise than its domain may
 * read it.
 */
class MaskParityIT {

    private static final String KEY = "parity-key-" + "0123456789abcdef";
    private static SparkSession spark;
    private static Dataset<Row> table;
    private static final Masker MASKER = new Masker(KEY);

    static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("s", DataTypes.StringType, true),
            DataTypes.createStructField("i", DataTypes.IntegerType, true),
            DataTypes.createStructField("l", DataTypes.LongType, true),
            DataTypes.createStructField("d", DataTypes.DoubleType, true),
            DataTypes.createStructField("dec", DataTypes.createDecimalType(10, 2), true),
            DataTypes.createStructField("tiny", DataTypes.createDecimalType(20, 10), true),
            DataTypes.createStructField("b", DataTypes.BooleanType, true),
            DataTypes.createStructField("dt", DataTypes.DateType, true),
            DataTypes.createStructField("ts", DataTypes.TimestampType, true),
            DataTypes.createStructField("contact", DataTypes.createStructType(List.of(
                    DataTypes.createStructField("email", DataTypes.StringType, true),
                    DataTypes.createStructField("born", DataTypes.DateType, true))), true),
            DataTypes.createStructField("payments", DataTypes.createArrayType(DataTypes.createStructType(List.of(
                    DataTypes.createStructField("card", DataTypes.StringType, true),
                    DataTypes.createStructField("amount", DataTypes.createDecimalType(10, 2), true))), true), true),
            DataTypes.createStructField("phones", DataTypes.createArrayType(DataTypes.StringType, true), true)));

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[1]").appName("mask-parity")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.datetime.java8API.enabled", "true")
                .getOrCreate();
        List<Row> rows = List.of(
                RowFactory.create("Ada", 0, -9007199254740993L, 0.1, new BigDecimal("12.30"),
                        new BigDecimal("0.0000001000"), true, LocalDate.of(1984, 5, 6),
                        Instant.parse("2025-12-31T22:30:00.000001Z"),
                        RowFactory.create("ada@example.com", LocalDate.of(1815, 12, 10)),
                        List.of(RowFactory.create("4111111111111111", new BigDecimal("5.00")),
                                RowFactory.create(null, new BigDecimal("-0.05"))),
                        Arrays.asList("+31611112222", null)),
                RowFactory.create("a😀b😀c", -7, 0L, -0.0, new BigDecimal("-0.05"), new BigDecimal("123.4567890123"),
                        false, LocalDate.of(1, 1, 1), Instant.parse("1970-01-01T00:00:00Z"),
                        RowFactory.create(null, null), List.of(), List.of("x")),
                RowFactory.create("", 2147483647, Long.MAX_VALUE, 1.0E10, new BigDecimal("0.00"), BigDecimal.ZERO
                                .setScale(10), true, LocalDate.of(2024, 2, 29),
                        Instant.parse("2024-02-29T23:59:59.999999Z"), null, null, null),
                RowFactory.create("4111 1111 1111 1111", null, null, Double.NaN, null, null, null, null, null,
                        RowFactory.create("ü@example.com", null), Arrays.asList((Row) null), List.of()),
                RowFactory.create(null, Integer.MIN_VALUE, Long.MIN_VALUE, 1.0E-5, new BigDecimal("99999999.99"),
                        null, null, LocalDate.of(9999, 12, 31), Instant.parse("2026-06-01T12:00:00Z"), null, null,
                        null),
                RowFactory.create("x", 1, 1L, Double.POSITIVE_INFINITY, null, null, null, null, null, null, null,
                        null),
                RowFactory.create("yz", 12, 123L, 123.0, null, null, null, null, null, null, null, null));
        table = spark.createDataFrame(rows, SCHEMA);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static List<String> paths() {
        return List.of("s", "i", "l", "d", "dec", "tiny", "b", "dt", "ts", "contact", "contact.email",
                "contact.born", "payments", "payments[].card", "payments[].amount", "phones", "phones[]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void sparkAndServingMaskEveryValueAlike(String path) {
        for (MaskKind kind : MaskKind.values()) {
            List<Map<String, Object>> spark = new ArrayList<>();
            for (Row row : SparkMasks.apply(table, Map.of(path, kind), KEY).collectAsList()) {
                spark.add(plain(row));
            }
            List<Map<String, Object>> serving = new ArrayList<>();
            for (Row row : table.collectAsList()) {
                serving.add(MASKER.apply(Map.of(path, kind), plain(row)));
            }
            assertThat(spark).as(kind + " on " + path).isEqualTo(serving);
        }
    }

    @Test
    void severalMasksOnOneRowAgreeToo() {
        Map<String, MaskKind> masks = Map.of("s", MaskKind.LAST4, "contact.email", MaskKind.HASH,
                "payments[].card", MaskKind.LAST4, "ts", MaskKind.YEAR, "dec", MaskKind.HASH, "phones[]",
                MaskKind.REDACT);
        List<Map<String, Object>> spark = SparkMasks.apply(table, masks, KEY).collectAsList().stream()
                .map(MaskParityIT::plain).toList();
        List<Map<String, Object>> serving = table.collectAsList().stream().map(r -> MASKER.apply(masks, plain(r)))
                .toList();
        assertThat(spark).isEqualTo(serving);
        assertThat(spark.get(0).get("s")).isEqualTo("**a");
    }

    @Test
    void theHashKeyIsInNoPlan() {
        Dataset<Row> masked = SparkMasks.apply(table, Map.of("s", MaskKind.HASH, "contact.email", MaskKind.HASH), KEY);
        assertThat(masked.queryExecution().toString()).doesNotContain(KEY);
        assertThat(masked.queryExecution().analyzed().toJSON()).doesNotContain(KEY);
    }

    /** A row as serving hands it to the masker: structs as maps, lists as lists, timestamps at UTC. */
    static Map<String, Object> plain(Row row) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < row.length(); i++) {
            values.put(row.schema().fields()[i].name(), plainValue(row.get(i)));
        }
        return values;
    }

    private static Object plainValue(Object value) {
        if (value instanceof Row struct) {
            return plain(struct);
        }
        if (value instanceof scala.collection.Seq<?> seq) {
            List<Object> items = new ArrayList<>();
            scala.jdk.javaapi.CollectionConverters.asJava(seq).forEach(item -> items.add(plainValue(item)));
            return items;
        }
        if (value instanceof List<?> list) {
            List<Object> items = new ArrayList<>();
            list.forEach(item -> items.add(plainValue(item)));
            return items;
        }
        if (value instanceof Instant instant) {
            return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
        }
        return value;
    }
}
