package dev.meshplatform.app.web;

import dev.meshplatform.registry.api.MeshException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.mock.web.MockHttpServletRequest;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class ProblemDetailsAdviceTest {

    private final ProblemDetailsAdvice advice = new ProblemDetailsAdvice();
    private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/domains");

    @Test
    void everyReasonHasAStatus() {
        assertThat(MeshException.Reason.values()).isNotEmpty()
                .allSatisfy(reason -> assertThat(ProblemDetailsAdvice.STATUS).containsKey(reason));
        assertThat(ProblemDetailsAdvice.STATUS.get(MeshException.Reason.TRANSITION_REJECTED).value()).isEqualTo(422);
        assertThat(ProblemDetailsAdvice.STATUS.get(MeshException.Reason.FORBIDDEN).value()).isEqualTo(403);
        assertThat(ProblemDetailsAdvice.STATUS.get(MeshException.Reason.GONE).value()).isEqualTo(410);
        assertThat(ProblemDetailsAdvice.STATUS.get(MeshException.Reason.UNAVAILABLE).value()).isEqualTo(503);
    }

    /** The violations as the database reports them (H2 here; PostgreSQL's SQLSTATEs are the same) through Spring. */
    @Test
    void onlyADuplicateKeyIsAConflictAndEveryOtherIntegrityViolationIsAnInternalError() throws SQLException {
        try (SingleConnectionDataSource database = new SingleConnectionDataSource(
                "jdbc:h2:mem:integrity;DB_CLOSE_DELAY=-1", "sa", "", true)) {
            JdbcTemplate jdbc = new JdbcTemplate(database);
            jdbc.execute("create table t (name varchar(3) not null, constraint uk_t unique (name))");
            jdbc.update("insert into t values ('a')");

            DataIntegrityViolationException duplicate = violation(() -> jdbc.update("insert into t values ('a')"));
            ProblemDetail conflict = advice.integrity(duplicate, request).getBody();
            assertThat(conflict.getStatus()).isEqualTo(409);
            assertThat(conflict.getProperties()).containsEntry("code", "concurrent-modification");

            DataIntegrityViolationException missing = violation(() -> jdbc.update("insert into t values (null)"));
            DataIntegrityViolationException tooLong = violation(() -> jdbc.update("insert into t values ('abcd')"));
            for (DataIntegrityViolationException bug : new DataIntegrityViolationException[] {missing, tooLong}) {
                assertThat(ProblemDetailsAdvice.isUniqueViolation(bug)).as(bug.getMessage()).isFalse();
                ProblemDetail problem = advice.integrity(bug, request).getBody();
                assertThat(problem.getStatus()).isEqualTo(500);
                assertThat(problem.getProperties()).containsEntry("code", "internal-error");
                // Nothing of the database's words (table, column, SQL) reaches the client.
                assertThat(problem.getDetail()).doesNotContain("T", "NAME", "insert");
            }
        }
    }

    @Test
    void aUniqueViolationIsFoundAnywhereInTheCauseChain() {
        SQLException postgres = new SQLException("duplicate key value violates unique constraint", "23505");
        assertThat(ProblemDetailsAdvice.isUniqueViolation(new DataIntegrityViolationException("x",
                new RuntimeException("wrapped", postgres)))).isTrue();
        assertThat(ProblemDetailsAdvice.isUniqueViolation(new DataIntegrityViolationException("x",
                new SQLException("null value in column", "23502")))).isFalse();
        assertThat(ProblemDetailsAdvice.isUniqueViolation(new DataIntegrityViolationException("no cause"))).isFalse();
    }

    private static DataIntegrityViolationException violation(Runnable statement) {
        Throwable thrown = catchThrowable(statement::run);
        assertThat(thrown).isInstanceOf(DataIntegrityViolationException.class);
        return (DataIntegrityViolationException) thrown;
    }
}
