package dev.meshplatform.processing.sandbox;

import dev.meshplatform.processing.api.SqlRefusedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlSandboxTest {

    static final Set<String> VIEWS = Set.of("raw", "sales__customers_v1");

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT country, count(*) AS people FROM raw WHERE age > 30 GROUP BY country",
            "SELECT r.id, c.name FROM raw r JOIN sales__customers_v1 c ON r.id = c.id",
            "SELECT * FROM RAW",
            "WITH adults AS (SELECT * FROM raw WHERE age >= 18) SELECT count(*) FROM adults",
            "SELECT id FROM raw WHERE id IN (SELECT id FROM sales__customers_v1)",
            "SELECT upper(name), date_trunc('DAY', seen_at) FROM raw",
            "SELECT * FROM raw LATERAL VIEW explode(array(1, 2)) t AS n",
            "SELECT id FROM range(10)"
    })
    void queriesOverTheirViewsPass(String sql) {
        assertThatCode(() -> SqlSandbox.check(sql, VIEWS)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SELECT * FROM other|reads 'other', which is not one of its views",
            "SELECT * FROM mesh.sales.customers_v1|not 'mesh.sales.customers_v1'",
            "SELECT * FROM sales.customers_raw_v1|reading by path, from another catalog or from a table",
            "SELECT * FROM parquet.`s3a://mesh/finance/salaries_raw_v1/data`|reading by path",
            "SELECT * FROM json.`/etc/passwd`|reading by path",
            "SELECT reflect('java.lang.System', 'getenv', 'AWS_SECRET_ACCESS_KEY') FROM raw|the function 'reflect' is not allowed",
            "SELECT java_method('java.lang.System', 'exit', 0) FROM raw|the function 'java_method' is not allowed",
            "SELECT id FROM raw WHERE id IN (SELECT id FROM secrets)|reads 'secrets'",
            "WITH x AS (SELECT * FROM finance.salaries) SELECT * FROM x|not 'finance.salaries'",
            "SELECT input_file_name() FROM raw|the function 'input_file_name' is not allowed",
            "SELECT * FROM read_files('s3://mesh/')|the table function 'read_files' is not allowed",
            "INSERT INTO raw SELECT * FROM raw|must be one query",
            "DROP TABLE raw|must be one query",
            "SELEC * FROM raw|not valid SQL"
    })
    void everythingElseIsRefusedWithItsReason(String sql, String reason) {
        assertThatThrownBy(() -> SqlSandbox.check(sql, VIEWS)).isInstanceOf(SqlRefusedException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void aCteDoesNotOpenOtherNames() {
        assertThatThrownBy(() -> SqlSandbox.check("WITH raw2 AS (SELECT * FROM raw) SELECT * FROM raw3", VIEWS))
                .hasMessageContaining("reads 'raw3'");
    }
}
