package dev.meshplatform.ingestion.landing;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The durable record of replayed dead letters, one row per refused event (its source position in the product's
 * topic). A replay claims the row before producing and marks it replayed after Kafka's acknowledgement; the primary
 * key lets only one of two concurrent replays claim it. A claim that is never marked (a crash between producing and
 * recording, or no answer from Kafka) stays: the event is then in doubt and is never produced again.
 */
final class ReplayLedger {

    static final String CLAIMED = "CLAIMED";
    static final String REPLAYED = "REPLAYED";
    // Bound on the values of one IN list (PostgreSQL allows 32,767 parameters; H2 more).
    private static final int CHUNK = 500;

    private final JdbcTemplate jdbc;

    ReplayLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** An event's position in the product's topic: what identifies it across its dead letters. */
    record Source(int partition, long offset) {
    }

    /** A claim, and once Kafka acknowledged it, where the event went. */
    record Entry(Source source, int deadLetterPartition, long deadLetterOffset, String state, String by,
                 Instant claimedAt, Instant replayedAt, Integer topicPartition, Long topicOffset) {

        boolean replayed() {
            return REPLAYED.equals(state);
        }
    }

    /** The entries of these events, by source. */
    Map<Source, Entry> find(String jobKey, Collection<Source> sources) {
        Map<Integer, List<Long>> byPartition = new TreeMap<>();
        sources.forEach(s -> byPartition.computeIfAbsent(s.partition(), p -> new ArrayList<>()).add(s.offset()));
        Map<Source, Entry> found = new HashMap<>();
        byPartition.forEach((partition, offsets) -> {
            for (int from = 0; from < offsets.size(); from += CHUNK) {
                List<Long> chunk = offsets.subList(from, Math.min(offsets.size(), from + CHUNK));
                List<Object> arguments = new ArrayList<>(List.of(jobKey, partition));
                arguments.addAll(chunk);
                jdbc.query("select source_partition, source_offset, dead_letter_partition, dead_letter_offset, "
                                + "state, replayed_by, claimed_at, replayed_at, topic_partition, topic_offset "
                                + "from ingestion_dead_letter_replay where job_key = ? and source_partition = ? "
                                + "and source_offset in (" + String.join(", ", java.util.Collections.nCopies(
                                chunk.size(), "?")) + ")",
                        rs -> {
                            Entry entry = new Entry(new Source(rs.getInt(1), rs.getLong(2)), rs.getInt(3),
                                    rs.getLong(4), rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(),
                                    rs.getTimestamp(8) == null ? null : rs.getTimestamp(8).toInstant(),
                                    (Integer) rs.getObject(9, Integer.class), (Long) rs.getObject(10, Long.class));
                            found.put(entry.source(), entry);
                        }, arguments.toArray());
            }
        });
        return found;
    }

    Optional<Entry> find(String jobKey, Source source) {
        return Optional.ofNullable(find(jobKey, List.of(source)).get(source));
    }

    /** Claims the event for a replay by this dead letter; false when it is claimed or replayed already. */
    boolean claim(String jobKey, Source source, int deadLetterPartition, long deadLetterOffset, String by,
                  Instant now) {
        try {
            jdbc.update("insert into ingestion_dead_letter_replay (job_key, source_partition, source_offset, "
                            + "dead_letter_partition, dead_letter_offset, state, replayed_by, claimed_at) "
                            + "values (?, ?, ?, ?, ?, ?, ?, ?)", jobKey, source.partition(), source.offset(),
                    deadLetterPartition, deadLetterOffset, CLAIMED, by, Timestamp.from(now));
            return true;
        } catch (DuplicateKeyException taken) {
            return false;
        }
    }

    /** Kafka acknowledged the replayed event at this position of the product's topic. */
    void replayed(String jobKey, Source source, int topicPartition, long topicOffset, Instant now) {
        jdbc.update("update ingestion_dead_letter_replay set state = ?, replayed_at = ?, topic_partition = ?, "
                        + "topic_offset = ? where job_key = ? and source_partition = ? and source_offset = ?",
                REPLAYED, Timestamp.from(now), topicPartition, topicOffset, jobKey, source.partition(),
                source.offset());
    }

    /** Gives up a claim whose event Kafka certainly did not take, so that it may be replayed again. */
    void release(String jobKey, Source source) {
        jdbc.update("delete from ingestion_dead_letter_replay where job_key = ? and source_partition = ? "
                + "and source_offset = ? and state = ?", jobKey, source.partition(), source.offset(), CLAIMED);
    }

    /** Forgets a purged major's replays: its topics are gone, and a new topic of the same name starts at offset 0. */
    int forget(String jobKey) {
        return jdbc.update("delete from ingestion_dead_letter_replay where job_key = ?", jobKey);
    }
}
