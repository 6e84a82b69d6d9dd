package dev.meshplatform.ingestion.landing;

import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotAncestryValidator;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ValidationException;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Commits a landing job's files to its raw table together with the Kafka offsets they end at, fenced by the
 * writer's epoch, through Iceberg's public API only. The offsets live in table properties, so they survive snapshot
 * expiry and commits by others (compaction). Every commit, a fence included, is one transaction of an append (empty
 * when only offsets move) whose snapshot summary carries the writer's epoch, and the property updates. The append is
 * validated with {@link org.apache.iceberg.SnapshotUpdate#validateWith}: the newest snapshot in the table's ancestry
 * that carries an epoch must carry this writer's (for a fence: none newer). Iceberg runs that validation again on
 * whatever metadata it re-applies the transaction to when a concurrent commit (compaction) forces a retry, so a
 * writer fenced meanwhile by a new owner fails with a {@link ValidationException} instead of committing.
 */
final class RawTableCommitter {

    static final String EPOCH = "mesh.landing.epoch";
    static final String OFFSETS = "mesh.landing.offsets";
    static final String TOTAL_RECORDS = "mesh.landing.total-records";
    static final String TOTAL_DEAD_LETTERS = "mesh.landing.total-dead-letters";
    static final String COMMIT_ID = "mesh.landing.commit-id";
    /** The Kafka timestamp (epoch millis) of the newest event landed so far, moved with every commit. */
    static final String NEWEST_EVENT = "mesh.landing.newest-event-millis";
    private static final int ATTEMPTS = 20;

    private final Table table;
    private final long epoch;
    private final Runnable beforeCommit;

    RawTableCommitter(Table table, long epoch) {
        this(table, epoch, () -> { });
    }

    /** {@code beforeCommit} runs between building a transaction and committing it: tests race a new owner there. */
    RawTableCommitter(Table table, long epoch, Runnable beforeCommit) {
        this.table = table;
        this.epoch = epoch;
        this.beforeCommit = beforeCommit;
    }

    long epoch() {
        return epoch;
    }

    Table table() {
        return table;
    }

    /** Makes this writer's epoch the table's, so that every older writer's commits fail from now on. */
    void fence() {
        for (int attempt = 1; ; attempt++) {
            table.refresh();
            long current = epochOf(table);
            if (current > epoch) {
                throw new FencedException("the table is fenced at epoch " + current + ", above this writer's " + epoch);
            }
            if (current == epoch) {
                return;
            }
            try {
                commitValidated(tx -> {
                    tx.newAppend().set(EPOCH, String.valueOf(epoch)).validateWith(newestEpoch(false)).commit();
                    tx.updateProperties().set(EPOCH, String.valueOf(epoch)).commit();
                });
                return;
            } catch (CommitFailedException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            } catch (CommitStateUnknownException e) {
                table.refresh();
                if (epochOf(table) == epoch) {
                    return;
                }
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** The job's totals as last committed. */
    Totals totals() {
        return totals(table);
    }

    /** The next offset to read per partition, as last committed. */
    Map<Integer, Long> committedOffsets() {
        table.refresh();
        return decode(table.properties().get(OFFSETS));
    }

    /**
     * Appends the files and records the offsets after them, in one commit. Retries conflicts with other committers
     * on fresh metadata, re-checking the epoch each time.
     *
     * @throws FencedException when another writer owns the table now
     */
    void commit(List<DataFile> files, Map<Integer, Long> nextOffsets, long records, long deadLetters) {
        commit(files, nextOffsets, records, deadLetters, 0);
    }

    /** As {@link #commit(List, Map, long, long)}, moving the newest landed event's Kafka timestamp forward. */
    void commit(List<DataFile> files, Map<Integer, Long> nextOffsets, long records, long deadLetters,
                long newestEventMillis) {
        String commitId = UUID.randomUUID().toString();
        for (int attempt = 1; ; attempt++) {
            table.refresh();
            long current = epochOf(table);
            if (current != epoch) {
                throw new FencedException("the table's epoch is " + current + ", not this writer's " + epoch);
            }
            Map<Integer, Long> offsets = new TreeMap<>(decode(table.properties().get(OFFSETS)));
            offsets.putAll(nextOffsets);
            try {
                commitValidated(tx -> {
                    // An append even without files: its validation is the fence, and its summary carries the epoch.
                    AppendFiles append = tx.newAppend();
                    files.forEach(append::appendFile);
                    append.set(COMMIT_ID, commitId);
                    append.set(EPOCH, String.valueOf(epoch));
                    append.set("mesh.landing.records", String.valueOf(records));
                    append.validateWith(newestEpoch(true)).commit();
                    // The totals move with the offsets, in the same commit: exact across restarts and takeovers.
                    Totals totals = totals(table).plus(records, deadLetters);
                    var properties = tx.updateProperties().set(OFFSETS, encode(offsets)).set(COMMIT_ID, commitId)
                            .set(TOTAL_RECORDS, String.valueOf(totals.records()))
                            .set(TOTAL_DEAD_LETTERS, String.valueOf(totals.deadLetters()));
                    Long newest = newestEventMillis(table);
                    if (newestEventMillis > 0 && (newest == null || newestEventMillis > newest)) {
                        properties.set(NEWEST_EVENT, String.valueOf(newestEventMillis));
                    }
                    properties.commit();
                });
                return;
            } catch (CommitFailedException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            } catch (CommitStateUnknownException e) {
                // The catalog may have taken it: the commit id in the properties tells.
                table.refresh();
                if (commitId.equals(table.properties().get(COMMIT_ID))) {
                    return;
                }
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Commits the changes as one transaction; a failed validation (another writer's epoch is newer) is the fence
     * refusing this writer.
     */
    private void commitValidated(java.util.function.Consumer<Transaction> changes) {
        Transaction tx = table.newTransaction();
        try {
            changes.accept(tx);
            beforeCommit.run();
            tx.commitTransaction();
        } catch (ValidationException e) {
            throw new FencedException("another writer owns the table now: " + e.getMessage());
        }
    }

    /**
     * Passes when the newest snapshot of the ancestry that carries a landing epoch carries this writer's ({@code exact})
     * or an older one (a fence), or when none does (a new table).
     */
    private SnapshotAncestryValidator newestEpoch(boolean exact) {
        return new SnapshotAncestryValidator() {
            @Override
            public boolean validate(Iterable<Snapshot> ancestry) {
                for (Snapshot snapshot : ancestry) {
                    String stamped = snapshot.summary().get(EPOCH);
                    if (stamped != null) {
                        long newest = Long.parseLong(stamped);
                        return exact ? newest == epoch : newest <= epoch;
                    }
                }
                return true;
            }

            @Override
            public String errorMessage() {
                return "the newest landing commit is not of epoch " + epoch + (exact ? "" : " or older");
            }
        };
    }

    /** Events landed and dead-lettered over the job's whole life, as last committed. */
    record Totals(long records, long deadLetters) {

        Totals plus(long moreRecords, long moreDeadLetters) {
            return new Totals(records + moreRecords, deadLetters + moreDeadLetters);
        }
    }

    static Totals totals(Table table) {
        return new Totals(Long.parseLong(table.properties().getOrDefault(TOTAL_RECORDS, "0")),
                Long.parseLong(table.properties().getOrDefault(TOTAL_DEAD_LETTERS, "0")));
    }

    /** The Kafka timestamp of the newest event landed in the table, as last committed; null before the first. */
    static Long newestEventMillis(Table table) {
        String value = table.properties().get(NEWEST_EVENT);
        return value == null ? null : Long.parseLong(value);
    }

    static long epochOf(Table table) {
        String value = table.properties().get(EPOCH);
        return value == null ? 0 : Long.parseLong(value);
    }

    static String encode(Map<Integer, Long> offsets) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(offsets).forEach((p, o) -> text.append(text.isEmpty() ? "" : ",").append(p).append(':').append(o));
        return text.toString();
    }

    static Map<Integer, Long> decode(String text) {
        Map<Integer, Long> offsets = new TreeMap<>();
        if (text == null || text.isBlank()) {
            return offsets;
        }
        for (String entry : text.split(",")) {
            int colon = entry.indexOf(':');
            offsets.put(Integer.parseInt(entry.substring(0, colon)), Long.parseLong(entry.substring(colon + 1)));
        }
        return offsets;
    }
}
