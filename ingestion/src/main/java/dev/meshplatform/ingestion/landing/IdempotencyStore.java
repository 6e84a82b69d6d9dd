package dev.meshplatform.ingestion.landing;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Remembers the Idempotency-Keys of event batches: a claim before producing, the answer after. A retried batch finds
 * the answer and is not produced again; a concurrent one finds the claim. A claim whose holder died (no answer after
 * {@link #STALE}) may be taken over: the batch may then be produced twice, which the answer cannot prevent.
 */
class IdempotencyStore {

    static final Duration STALE = Duration.ofMinutes(5);

    private final JdbcTemplate jdbc;

    public IdempotencyStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A remembered batch: the hash of its body and, once done, the answer. */
    public record Entry(String requestHash, String response, Instant createdAt) {
    }

    public Optional<Entry> find(String jobKey, String key) {
        return jdbc.query("select request_hash, response, created_at from ingestion_idempotency "
                        + "where job_key = ? and idempotency_key = ?",
                (rs, i) -> new Entry(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()),
                jobKey, key).stream().findFirst();
    }

    /** Claims the key; false when somebody holds it already. */
    public boolean claim(String jobKey, String key, String requestHash, Instant now) {
        try {
            jdbc.update("insert into ingestion_idempotency (job_key, idempotency_key, request_hash, response, "
                    + "created_at) values (?, ?, ?, null, ?)", jobKey, key, requestHash, Timestamp.from(now));
            return true;
        } catch (DuplicateKeyException taken) {
            return false;
        }
    }

    /** Takes over a claim that was never answered and is older than {@link #STALE}. */
    public boolean takeOver(String jobKey, String key, String requestHash, Instant now) {
        return jdbc.update("update ingestion_idempotency set request_hash = ?, created_at = ? where job_key = ? "
                        + "and idempotency_key = ? and response is null and created_at < ?", requestHash,
                Timestamp.from(now), jobKey, key, Timestamp.from(now.minus(STALE))) == 1;
    }

    public void answer(String jobKey, String key, String response) {
        jdbc.update("update ingestion_idempotency set response = ? where job_key = ? and idempotency_key = ?",
                response, jobKey, key);
    }

    /** Lets a failed batch be retried with the same key. */
    public void forget(String jobKey, String key) {
        jdbc.update("delete from ingestion_idempotency where job_key = ? and idempotency_key = ? and response is null",
                jobKey, key);
    }

    public int purgeOlderThan(Instant cutoff) {
        return jdbc.update("delete from ingestion_idempotency where created_at < ?", Timestamp.from(cutoff));
    }
}
