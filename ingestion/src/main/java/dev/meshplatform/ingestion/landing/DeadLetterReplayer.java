package dev.meshplatform.ingestion.landing;

import dev.meshplatform.ingestion.api.DeadLetter;
import dev.meshplatform.ingestion.api.DeadLetterReplay;
import dev.meshplatform.ingestion.api.DeadLetterReplay.Letter;
import dev.meshplatform.ingestion.api.DeadLetterReplay.Outcome;
import dev.meshplatform.ingestion.api.DeadLetterReplays;
import dev.meshplatform.ingestion.api.DeadLetterSelection;
import dev.meshplatform.ingestion.api.IngestionException;
import dev.meshplatform.ingestion.api.IngestionProperties;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.ProductVersionView;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Replays dead letters (see {@link DeadLetterReplays}). Each event is claimed in the {@link ReplayLedger} before it
 * is produced and marked replayed after Kafka's acknowledgement, so that a retry, a concurrent replay or a replay
 * after a crash finds it and does not produce it again. Where the outcome is unknown (no answer from Kafka, a crash
 * between producing and marking) the claim stays and the event is reported IN_DOUBT: the replay errs towards
 * producing an event at most once, never silently twice.
 */
final class DeadLetterReplayer implements DeadLetterReplays {

    /** Headers of a replayed event, naming the dead letter it came from and where the event was first. */
    static final String DEAD_LETTER_PARTITION_HEADER = "mesh.replay.dead-letter.partition";
    static final String DEAD_LETTER_OFFSET_HEADER = "mesh.replay.dead-letter.offset";
    static final String SOURCE_PARTITION_HEADER = "mesh.replay.source.partition";
    static final String SOURCE_OFFSET_HEADER = "mesh.replay.source.offset";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplayer.class);
    // Longer than the producer's delivery timeout (2 minutes): an answer within it is Kafka's, not ours.
    private static final Duration SEND_TIMEOUT = Duration.ofMinutes(3);

    private final DeadLetterReader reader;
    private final ReplayLedger ledger;
    private final ProductContracts contracts;
    private final Producer<byte[], byte[]> producer;
    private final IngestionProperties properties;
    private final Clock clock;

    DeadLetterReplayer(DeadLetterReader reader, ReplayLedger ledger, ProductContracts contracts,
                       Producer<byte[], byte[]> producer, IngestionProperties properties, Clock clock) {
        this.reader = reader;
        this.ledger = ledger;
        this.contracts = contracts;
        this.producer = producer;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public DeadLetterReplay replay(String domain, String product, DeadLetterSelection selection, String actor) {
        validate(selection);
        int major = selection.major();
        reader.requireReleased(domain, product, major);
        ProductVersionView version = contracts.requireKafkaVersion(domain, product, major);
        ProductMajor productMajor = new ProductMajor(domain, product, major);
        EventContract contract = EventContract.of(ProductContracts.eventSchema(version));
        DeadLetterReader.Selected selected = reader.read(productMajor, selection);

        String jobKey = productMajor.key();
        Map<ReplayLedger.Source, ReplayLedger.Entry> known = ledger.find(jobKey, selected.found().stream()
                .map(r -> source(DeadLetterReader.letter(r))).filter(java.util.Objects::nonNull).toList());
        List<Letter> letters = new ArrayList<>();
        Map<ReplayLedger.Source, Integer> firstOfEvent = new HashMap<>();
        List<Integer> duplicates = new ArrayList<>();
        List<Sending> sending = new ArrayList<>();
        long maxRecordBytes = properties.maxRecordSize().toBytes();
        for (ConsumerRecord<byte[], byte[]> record : selected.found()) {
            DeadLetter letter = DeadLetterReader.letter(record);
            ReplayLedger.Source source = source(letter);
            int index = letters.size();
            if (source == null) {
                letters.add(outcome(letter, Outcome.NOT_FOUND, "it names no position in the product's topic, so "
                        + "it was not sent by the landing job"));
                continue;
            }
            if (firstOfEvent.putIfAbsent(source, index) != null) {
                letters.add(null); // another dead letter of an event already in this replay: decided with it
                duplicates.add(index);
                continue;
            }
            ReplayLedger.Entry entry = known.get(source);
            if (entry != null) {
                letters.add(earlier(letter, entry));
                continue;
            }
            String refusal = refusal(record.value(), contract, maxRecordBytes);
            if (refusal != null) {
                letters.add(outcome(letter, Outcome.STILL_INVALID, refusal));
                continue;
            }
            if (!ledger.claim(jobKey, source, letter.partition(), letter.offset(), actor, clock.instant())) {
                letters.add(ledger.find(jobKey, source).map(e -> earlier(letter, e)).orElseGet(() -> outcome(letter,
                        Outcome.FAILED, "another replay of this event failed just now; replay it again")));
                continue;
            }
            letters.add(null);
            try {
                sending.add(new Sending(index, letter, source, producer.send(replayed(productMajor, record, source))));
            } catch (KafkaException e) {
                // Refused before it was handed to the producer: nothing was sent.
                ledger.release(jobKey, source);
                letters.set(index, outcome(letter, Outcome.FAILED, "not delivered to Kafka: " + e.getMessage()));
            }
        }
        int replayed = 0;
        for (Sending send : sending) {
            Letter done = await(jobKey, send, actor);
            replayed += done.outcome() == Outcome.REPLAYED ? 1 : 0;
            letters.set(send.index(), done);
        }
        for (int index : duplicates) {
            DeadLetter letter = DeadLetterReader.letter(selected.found().get(index));
            Letter first = letters.get(firstOfEvent.get(source(letter)));
            letters.set(index, new Letter(letter.partition(), letter.offset(), letter.sourcePartition(),
                    letter.sourceOffset(), first.outcome() == Outcome.REPLAYED ? Outcome.ALREADY_REPLAYED
                    : first.outcome(), first.reason(), first.replayedAt(), first.replayedBy(),
                    first.topicPartition(), first.topicOffset()));
        }
        for (DeadLetterSelection.Position missing : selected.missing()) {
            letters.add(new Letter(missing.partition(), missing.offset(), null, null, Outcome.NOT_FOUND,
                    "the dead-letter topic holds no letter at partition " + missing.partition() + ", offset "
                            + missing.offset(), null, null, null, null));
        }
        letters.sort(Comparator.comparingInt(Letter::partition).thenComparingLong(Letter::offset));
        Map<Outcome, Long> counts = new java.util.EnumMap<>(Outcome.class);
        letters.forEach(l -> counts.merge(l.outcome(), 1L, Long::sum));
        log.info("Replayed {} of {} dead letters of {} against {} for {}: {}", replayed, letters.size(),
                productMajor, version.version(), actor, counts);
        return new DeadLetterReplay(productMajor.topic(), version.version(), letters.size(), replayed, letters);
    }

    private record Sending(int index, DeadLetter letter, ReplayLedger.Source source, Future<RecordMetadata> ack) {
    }

    /** Waits for Kafka's answer and records it; an answer that does not say whether it was written: in doubt. */
    private Letter await(String jobKey, Sending send, String actor) {
        DeadLetter letter = send.letter();
        try {
            RecordMetadata written = send.ack().get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Instant now = clock.instant();
            try {
                ledger.replayed(jobKey, send.source(), written.partition(), written.offset(), now);
            } catch (DataAccessException e) {
                // Produced, but not recorded as such: the claim stays, so the event is in doubt, never produced twice.
                log.warn("Replayed dead letter {}/{} of {} was produced but could not be recorded: {}",
                        letter.partition(), letter.offset(), jobKey, e.getMessage());
            }
            return new Letter(letter.partition(), letter.offset(), letter.sourcePartition(), letter.sourceOffset(),
                    Outcome.REPLAYED, null, now, actor, written.partition(), written.offset());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RetriableException) {
                // Kafka's delivery timeout: the event may have been written.
                return inDoubt(letter, "Kafka did not confirm it (" + e.getCause().getMessage() + ")", actor);
            }
            ledger.release(jobKey, send.source());
            return outcome(letter, Outcome.FAILED, "not delivered to Kafka: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            return inDoubt(letter, "Kafka did not answer within " + SEND_TIMEOUT.toMinutes() + " minutes", actor);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return inDoubt(letter, "the replay was interrupted while waiting for Kafka", actor);
        }
    }

    private Letter inDoubt(DeadLetter letter, String why, String actor) {
        return new Letter(letter.partition(), letter.offset(), letter.sourcePartition(), letter.sourceOffset(),
                Outcome.IN_DOUBT, why + ": it may have been produced, so it is not replayed again", clock.instant(),
                actor, null, null);
    }

    /** What an earlier replay of the event did. */
    private static Letter earlier(DeadLetter letter, ReplayLedger.Entry entry) {
        if (entry.replayed()) {
            return new Letter(letter.partition(), letter.offset(), letter.sourcePartition(), letter.sourceOffset(),
                    Outcome.ALREADY_REPLAYED, "replayed at " + entry.replayedAt() + " by " + entry.by()
                    + sameEvent(letter, entry), entry.replayedAt(), entry.by(), entry.topicPartition(),
                    entry.topicOffset());
        }
        return new Letter(letter.partition(), letter.offset(), letter.sourcePartition(), letter.sourceOffset(),
                Outcome.IN_DOUBT, "a replay by " + entry.by() + " began at " + entry.claimedAt() + sameEvent(letter,
                entry) + " and its outcome is not known (it is under way, or Kafka's answer was lost): it may have "
                + "been produced, so it is not replayed again", entry.claimedAt(), entry.by(), null, null);
    }

    private static String sameEvent(DeadLetter letter, ReplayLedger.Entry entry) {
        return entry.deadLetterPartition() == letter.partition() && entry.deadLetterOffset() == letter.offset() ? ""
                : " (as dead letter " + entry.deadLetterPartition() + "/" + entry.deadLetterOffset()
                + " of the same event)";
    }

    private static Letter outcome(DeadLetter letter, Outcome outcome, String reason) {
        return new Letter(letter.partition(), letter.offset(), letter.sourcePartition(), letter.sourceOffset(),
                outcome, reason, null, null, null, null);
    }

    /** Why the event is refused now, as the landing job would refuse it; null when it passes. */
    private static String refusal(byte[] value, EventContract contract, long maxRecordBytes) {
        if (value == null) {
            return "an empty record: it has no value";
        }
        if (value.length > maxRecordBytes) {
            return "the event has " + value.length + " bytes, over the limit of " + maxRecordBytes + " bytes";
        }
        return contract.read(value).refusal();
    }

    /** The event as it was sent (key, value, its own headers), with headers naming where it comes from. */
    private static ProducerRecord<byte[], byte[]> replayed(ProductMajor major, ConsumerRecord<byte[], byte[]> letter,
                                                          ReplayLedger.Source source) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : letter.headers()) {
            if (!header.key().startsWith("mesh.dlq.") && !header.key().startsWith("mesh.replay.")) {
                headers.add(header);
            }
        }
        headers.add(DEAD_LETTER_PARTITION_HEADER, bytes(letter.partition()));
        headers.add(DEAD_LETTER_OFFSET_HEADER, bytes(letter.offset()));
        headers.add(SOURCE_PARTITION_HEADER, bytes(source.partition()));
        headers.add(SOURCE_OFFSET_HEADER, bytes(source.offset()));
        // A new timestamp: the topic's time-based retention must not take the replayed event before it lands.
        return new ProducerRecord<>(major.topic(), null, null, letter.key(), letter.value(), headers);
    }

    private static byte[] bytes(long value) {
        return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    }

    private static ReplayLedger.Source source(DeadLetter letter) {
        return letter.sourcePartition() == null || letter.sourceOffset() == null ? null
                : new ReplayLedger.Source(letter.sourcePartition(), letter.sourceOffset());
    }

    /** Exactly one of all, letters, range; within bounds. Checked here too: not every caller is the HTTP API. */
    static void validate(DeadLetterSelection selection) {
        if (selection == null || selection.major() == null || selection.major() < 0) {
            throw invalid("name the product's major version (major, 0 or more)");
        }
        int chosen = (Boolean.TRUE.equals(selection.all()) ? 1 : 0) + (selection.letters() != null ? 1 : 0)
                + (selection.range() != null ? 1 : 0);
        if (chosen != 1) {
            throw invalid("select the letters with exactly one of all: true, letters or range");
        }
        if (selection.letters() != null) {
            if (selection.letters().isEmpty() || selection.letters().size() > MAX_LETTERS) {
                throw invalid("letters names 1 to " + MAX_LETTERS + " letters, not " + selection.letters().size());
            }
            for (DeadLetterSelection.Position position : selection.letters()) {
                if (position == null || position.partition() == null || position.offset() == null
                        || position.partition() < 0 || position.offset() < 0) {
                    throw invalid("each letter has a partition and an offset, 0 or more");
                }
            }
        }
        DeadLetterSelection.Range range = selection.range();
        if (range != null) {
            if (range.partition() == null || range.fromOffset() == null || range.toOffset() == null
                    || range.partition() < 0 || range.fromOffset() < 0 || range.toOffset() < range.fromOffset()) {
                throw invalid("range has a partition and offsets 0 or more with fromOffset ≤ toOffset");
            }
            if (range.toOffset() - range.fromOffset() >= MAX_LETTERS) {
                throw invalid("range spans " + (range.toOffset() - range.fromOffset() + 1) + " offsets, more than the "
                        + MAX_LETTERS + " one replay takes");
            }
        }
    }

    private static IngestionException invalid(String message) {
        return new IngestionException(IngestionException.Reason.INVALID, "invalid-selection", message);
    }
}
