package dev.meshplatform.ingestion.landing;

import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.BaseTransaction;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.Transactions;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Commits a landing job's files to its raw table together with the Kafka offsets they end at, fenced by the
 * writer's epoch. The offsets live in table properties, so they survive snapshot expiry and commits by others
 * (compaction). The fence is inside the commit: each attempt refreshes the table, checks that its epoch is still
 * this writer's, stages the files and offsets on exactly that metadata, and swaps it in with the catalog's
 * compare-and-swap, which refuses it if anything (a new owner's fence included) was committed in between. A refused
 * attempt starts over from the check. Iceberg's own retry, which would re-apply the update to newer metadata
 * without this check, is never used for these commits.
 */
final class RawTableCommitter {

    static final String EPOCH = "mesh.landing.epoch";
    static final String OFFSETS = "mesh.landing.offsets";
    static final String TOTAL_RECORDS = "mesh.landing.total-records";
    static final String TOTAL_DEAD_LETTERS = "mesh.landing.total-dead-letters";
    static final String COMMIT_ID = "mesh.landing.commit-id";
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
                compareAndSwap(tx -> tx.updateProperties().set(EPOCH, String.valueOf(epoch)).commit());
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
                compareAndSwap(tx -> {
                    if (!files.isEmpty()) {
                        AppendFiles append = tx.newAppend();
                        files.forEach(append::appendFile);
                        append.set(COMMIT_ID, commitId);
                        append.set(EPOCH, String.valueOf(epoch));
                        append.set("mesh.landing.records", String.valueOf(records));
                        append.commit();
                    }
                    // The totals move with the offsets, in the same commit: exact across restarts and takeovers.
                    Totals totals = totals(table).plus(records, deadLetters);
                    tx.updateProperties().set(OFFSETS, encode(offsets)).set(COMMIT_ID, commitId)
                            .set(TOTAL_RECORDS, String.valueOf(totals.records()))
                            .set(TOTAL_DEAD_LETTERS, String.valueOf(totals.deadLetters())).commit();
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
     * Stages the changes on the metadata just checked and swaps it in only if that metadata is still the table's.
     * Iceberg's {@code Transaction.commitTransaction()} cannot do this: it refreshes and re-applies the changes to
     * whatever metadata is current, even with retries off, which would let a fenced writer commit.
     */
    private void compareAndSwap(java.util.function.Consumer<Transaction> changes) {
        TableOperations ops = ((HasTableOperations) table).operations();
        TableMetadata checked = ops.current();
        Transaction tx = Transactions.newTransaction(table.name(), ops);
        changes.accept(tx);
        TableMetadata staged = ((BaseTransaction) tx).currentMetadata();
        beforeCommit.run();
        ops.commit(checked, staged);
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
