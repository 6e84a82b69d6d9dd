package dev.meshplatform.ingestion.landing;

import dev.meshplatform.ingestion.api.LandingStatus;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Landing jobs in the database: the desired state (survives restarts), the lease that decides which instance runs
 * a job, and the status its owner reports. A lease is taken by a conditional update, so two instances never both
 * win; every new owner gets a higher epoch, which it then writes into the table as its fence.
 */
final class LandingJobStore {

    private static final String COLUMNS = "job_key, domain_name, product_name, major, desired_state, owner_instance, "
            + "lease_epoch, lease_expires_at, state, records_landed, records_dead_lettered, records_per_second, lag, "
            + "last_commit_at, last_error, updated_at";

    private final JdbcTemplate jdbc;

    public LandingJobStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A job as stored. */
    record Row(String key, String domain, String product, int major, String desiredState, String owner, long epoch,
               Instant leaseExpiresAt, String state, long landed, long deadLettered, double perSecond,
               Map<Integer, Long> lag, Instant lastCommitAt, String lastError, Instant updatedAt) {

        LandingStatus status(Instant now) {
            boolean leased = owner != null && leaseExpiresAt != null && leaseExpiresAt.isAfter(now);
            String shown = leased ? state : "RUNNING".equals(desiredState) ? "WAITING" : "STOPPED";
            return new LandingStatus(domain, product, major, desiredState, shown, leased ? owner : null, epoch,
                    landed, deadLettered, leased ? perSecond : 0, lag, lastCommitAt, lastError, updatedAt);
        }
    }

    private static final RowMapper<Row> ROW = (rs, i) -> new Row(rs.getString("job_key"), rs.getString("domain_name"),
            rs.getString("product_name"), rs.getInt("major"), rs.getString("desired_state"),
            rs.getString("owner_instance"), rs.getLong("lease_epoch"), instant(rs.getTimestamp("lease_expires_at")),
            rs.getString("state"), rs.getLong("records_landed"), rs.getLong("records_dead_lettered"),
            rs.getDouble("records_per_second"), decodeLag(rs.getString("lag")),
            instant(rs.getTimestamp("last_commit_at")), rs.getString("last_error"),
            instant(rs.getTimestamp("updated_at")));

    /** Sets the desired state, creating the job when it is new. */
    public void setDesired(String key, String domain, String product, int major, String desired, Instant now) {
        int updated = jdbc.update("update ingestion_landing_job set desired_state = ?, updated_at = ? where job_key = ?",
                desired, ts(now), key);
        if (updated == 0) {
            jdbc.update("insert into ingestion_landing_job (" + COLUMNS + ") values (?, ?, ?, ?, ?, null, 0, null, "
                            + "'STOPPED', 0, 0, 0, null, null, null, ?)",
                    key, domain, product, major, desired, ts(now));
        }
    }

    /** Stops a job that exists; false when there is none. */
    public boolean stop(String key, Instant now) {
        return jdbc.update("update ingestion_landing_job set desired_state = 'STOPPED', updated_at = ? "
                + "where job_key = ?", ts(now), key) == 1;
    }

    Optional<Row> find(String key) {
        return jdbc.query("select " + COLUMNS + " from ingestion_landing_job where job_key = ?", ROW, key).stream()
                .findFirst();
    }

    List<Row> forProduct(String domain, String product) {
        return jdbc.query("select " + COLUMNS + " from ingestion_landing_job where domain_name = ? and product_name = ?"
                + " order by major", ROW, domain, product);
    }

    List<Row> wanted() {
        return jdbc.query("select " + COLUMNS + " from ingestion_landing_job where desired_state = 'RUNNING'", ROW);
    }

    /** Takes the lease of a wanted job that nobody holds (or whose holder let it expire): the new epoch, if won. */
    OptionalLong tryAcquire(String key, String instance, Instant now, Duration lease) {
        int won = jdbc.update("update ingestion_landing_job set owner_instance = ?, lease_epoch = lease_epoch + 1, "
                        + "lease_expires_at = ?, state = 'STARTING', last_error = null, updated_at = ? "
                        + "where job_key = ? and desired_state = 'RUNNING' "
                        + "and (owner_instance is null or lease_expires_at is null or lease_expires_at < ?)",
                instance, ts(now.plus(lease)), ts(now), key, ts(now));
        if (won != 1) {
            return OptionalLong.empty();
        }
        return find(key).filter(r -> instance.equals(r.owner())).map(r -> OptionalLong.of(r.epoch()))
                .orElse(OptionalLong.empty());
    }

    /** Extends a lease this instance holds at this epoch; false when it was lost. */
    boolean renew(String key, String instance, long epoch, Instant now, Duration lease) {
        return jdbc.update("update ingestion_landing_job set lease_expires_at = ? where job_key = ? "
                + "and owner_instance = ? and lease_epoch = ? and lease_expires_at >= ?",
                ts(now.plus(lease)), key, instance, epoch, ts(now)) == 1;
    }

    void release(String key, String instance, long epoch, String state, Instant now) {
        jdbc.update("update ingestion_landing_job set owner_instance = null, lease_expires_at = null, state = ?, "
                + "records_per_second = 0, updated_at = ? where job_key = ? and owner_instance = ? and lease_epoch = ?",
                state, ts(now), key, instance, epoch);
    }

    /** The owner's report; ignored when this instance no longer holds the lease at this epoch. */
    void report(String key, String instance, long epoch, String state, long landed, long deadLettered,
                double perSecond, Map<Integer, Long> lag, Instant lastCommitAt, String lastError, Instant now) {
        jdbc.update("update ingestion_landing_job set state = ?, records_landed = ?, records_dead_lettered = ?, "
                        + "records_per_second = ?, lag = ?, last_commit_at = ?, last_error = ?, updated_at = ? "
                        + "where job_key = ? and owner_instance = ? and lease_epoch = ?",
                state, landed, deadLettered, perSecond, encodeLag(lag), ts(lastCommitAt),
                lastError == null ? null : lastError.length() > 4000 ? lastError.substring(0, 4000) : lastError,
                ts(now), key, instance, epoch);
    }

    /**
     * Counts one landing commit in its hour, and moves the job's newest committed event time forward to
     * {@code newestEventAt} (null: the commit landed no event). Only the job's lease holder writes its counts.
     */
    void recordFlush(String key, Instant committedAt, long records, long deadLetters, Instant newestEventAt) {
        if (records > 0 || deadLetters > 0) {
            Timestamp hour = ts(committedAt.truncatedTo(ChronoUnit.HOURS));
            String add = "update ingestion_landing_hour set records = records + ?, dead_letters = dead_letters + ? "
                    + "where job_key = ? and hour_start = ?";
            if (jdbc.update(add, records, deadLetters, key, hour) == 0) {
                try {
                    jdbc.update("insert into ingestion_landing_hour (job_key, hour_start, records, dead_letters) "
                            + "values (?, ?, ?, ?)", key, hour, records, deadLetters);
                } catch (DuplicateKeyException previousHolder) {
                    // A job that just lost its lease wrote the hour's first counts meanwhile.
                    jdbc.update(add, records, deadLetters, key, hour);
                }
            }
        }
        recordNewestEvent(key, newestEventAt);
    }

    /** Moves the job's newest committed event time forward to {@code newestEventAt}, never back. */
    void recordNewestEvent(String key, Instant newestEventAt) {
        if (newestEventAt != null) {
            jdbc.update("update ingestion_landing_job set newest_event_at = ? where job_key = ? "
                    + "and (newest_event_at is null or newest_event_at < ?)", ts(newestEventAt), key,
                    ts(newestEventAt));
        }
    }

    /** The newest committed event of a job and its events landed and dead-lettered since {@code since}. */
    record Arrivals(Instant newestEventAt, long landed, long deadLettered) {
    }

    /** Counts from the start of the hour of {@code since}: whole hours. */
    Arrivals arrivals(String key, Instant since) {
        Instant newest = jdbc.query("select newest_event_at from ingestion_landing_job where job_key = ?",
                (rs, i) -> instant(rs.getTimestamp(1)), key).stream().filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
        return jdbc.queryForObject("select coalesce(sum(records), 0), coalesce(sum(dead_letters), 0) "
                        + "from ingestion_landing_hour where job_key = ? and hour_start >= ?",
                (rs, i) -> new Arrivals(newest, rs.getLong(1), rs.getLong(2)), key,
                ts(since.truncatedTo(ChronoUnit.HOURS)));
    }

    /** Forgets the counts of hours that started before {@code before}; returns how many. */
    int purgeCountsBefore(Instant before) {
        return jdbc.update("delete from ingestion_landing_hour where hour_start < ?", ts(before));
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    static String encodeLag(Map<Integer, Long> lag) {
        if (lag == null || lag.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        lag.forEach((p, l) -> text.append(text.isEmpty() ? "" : ",").append(p).append('=').append(l));
        return text.length() > 4000 ? text.substring(0, 4000) : text.toString();
    }

    static Map<Integer, Long> decodeLag(String text) {
        Map<Integer, Long> lag = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return lag;
        }
        for (String entry : text.split(",")) {
            String[] parts = entry.split("=");
            if (parts.length == 2) {
                lag.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
            }
        }
        return lag;
    }
}
