package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.SqlRefusedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The apply-time check over the hostile corpus: every entry the corpus expects refused is refused with its construct
 * and position, and every other one passes (it is then run by the platform's HostileCorpusIT).
 */
class SandboxedSqlTest {

    /** Refusals of the whole text rather than of one construct in it: their messages say it in other words. */
    private static final List<String> GENERIC = List.of("syntax", "nesting", "length", "empty query");

    static List<HostileCorpus.Entry> refused() {
        return HostileCorpus.entries().stream().filter(e -> e.expect().equals("refused")).toList();
    }

    static List<HostileCorpus.Entry> accepted() {
        return HostileCorpus.entries().stream().filter(e -> !e.expect().equals("refused")).toList();
    }

    @Test
    void theCorpusCoversEveryFamily() {
        List<HostileCorpus.Entry> entries = HostileCorpus.entries();
        assertThat(entries).hasSizeGreaterThanOrEqualTo(150);
        Map<String, Long> families = entries.stream()
                .collect(Collectors.groupingBy(HostileCorpus.Entry::family, Collectors.counting()));
        assertThat(families.keySet()).contains("functions reaching the JVM, by spelling and indirection",
                "statements and commands", "external processes", "catalog, table and path access",
                "resource exhaustion", "CTE, window and view shadowing", "functions revealing the environment");
        assertThat(entries).extracting(HostileCorpus.Entry::id).doesNotHaveDuplicates();
        assertThat(entries).filteredOn(e -> e.kind().equals("rule")).hasSizeGreaterThan(5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void isRefusedNamingTheConstructAndItsPosition(HostileCorpus.Entry entry) {
        SqlRefusedException refused = catchThrowableOfType(SqlRefusedException.class,
                () -> SandboxedSql.check(entry.sql(), entry.views()));
        assertThat(refused).as("refused: " + entry.sql()).isNotNull();
        if (entry.construct() != null) {
            assertThat(refused.construct()).as(refused.getMessage()).contains(entry.construct());
            if (!GENERIC.contains(entry.construct())) {
                assertThat(refused.getMessage()).contains(entry.construct());
            }
        }
        if (entry.line() != null) {
            assertThat(refused.line()).as(refused.getMessage()).isEqualTo(entry.line());
            assertThat(refused.column()).as(refused.getMessage()).isEqualTo(entry.column());
            assertThat(refused.getMessage()).contains("at line " + entry.line() + ", column " + entry.column());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void passesTheCheck(HostileCorpus.Entry entry) {
        assertThatCode(() -> SandboxedSql.check(entry.sql(), entry.views())).doesNotThrowAnyException();
    }
}
