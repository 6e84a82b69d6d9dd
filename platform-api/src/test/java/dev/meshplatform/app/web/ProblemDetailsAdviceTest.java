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

    @Test
    void everyStreamTakenIsA503WithRetryAfter() {
        ResponseStreams streams = new ResponseStreams(new dev.meshplatform.app.config.MeshSecurityProperties(null,
                null, org.springframework.util.unit.DataSize.ofMegabytes(1), null, 1),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        try {
            ResponseStreams.Slot held = streams.reserve();
            ResponseStreams.Exhausted exhausted = (ResponseStreams.Exhausted) catchThrowable(streams::reserve);
            var answer = advice.streamsExhausted(exhausted, request);
            assertThat(answer.getStatusCode().value()).isEqualTo(503);
            assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("5");
            assertThat(answer.getBody().getProperties()).containsEntry("code", "server-busy");

            // A slot closed twice (the body's end and a failure path) is given back once: still one stream.
            held.close();
            held.close();
            assertThat(streams.active()).isZero();
            ResponseStreams.Slot next = streams.reserve();
            assertThat(catchThrowable(streams::reserve)).isInstanceOf(ResponseStreams.Exhausted.class);
            next.close();
        } finally {
            streams.destroy();
        }
    }

    @Test
    void aClientGoneMidBodyIsAnsweredWithNothing() {
        var gone = new org.springframework.web.context.request.async.AsyncRequestNotUsableException(
                "ServletOutputStream failed to write: java.io.IOException: Broken pipe");
        assertThat(advice.clientGone(gone)).isNull();
        // As a streamed body throws it: wrapped by the serializer that was writing.
        assertThat(advice.unexpected(new RuntimeException("failed to write", gone), request)).isNull();
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
