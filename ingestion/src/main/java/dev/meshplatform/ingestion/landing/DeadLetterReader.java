package dev.meshplatform.ingestion.landing;

import dev.meshplatform.ingestion.api.DeadLetter;
import dev.meshplatform.ingestion.api.DeadLetterReplays;
import dev.meshplatform.ingestion.api.DeadLetterSelection;
import dev.meshplatform.ingestion.api.DeadLetters;
import dev.meshplatform.ingestion.api.IngestionException;
import dev.meshplatform.ingestion.api.KafkaConnection;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.ProductCatalog;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.RegistryException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads dead letters of a product major straight from its dead-letter topic, without a consumer group (nothing is
 * committed, nothing is created): the newest ones, each partition from at most {@code limit} records before its end,
 * with what became of them ({@link ReplayLedger}); or those a replay selects.
 */
final class DeadLetterReader implements DeadLetters {

    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);
    // A wanted offset further ahead than this is sought rather than read up to.
    private static final long SEEK_GAP = 500;

    private final KafkaConnection kafka;
    private final ProductCatalog catalog;
    private final ReplayLedger ledger;

    DeadLetterReader(KafkaConnection kafka, ProductCatalog catalog, ReplayLedger ledger) {
        this.kafka = kafka;
        this.catalog = catalog;
        this.ledger = ledger;
    }

    @Override
    public List<DeadLetter> newest(String domain, String product, int major, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IngestionException(IngestionException.Reason.INVALID, "invalid-parameter",
                    "limit must be 1 to " + MAX_LIMIT + ", not " + limit);
        }
        requireReleased(domain, product, major);
        ProductMajor productMajor = new ProductMajor(domain, product, major);
        String topic = productMajor.deadLetterTopic();
        try (Consumer<byte[], byte[]> consumer = newConsumer()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, KAFKA_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                return List.of();
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, KAFKA_TIMEOUT);
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, KAFKA_TIMEOUT);
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, Math.max(begins.get(partition), ends.get(partition) - limit));
            }
            List<DeadLetter> letters = new ArrayList<>();
            Instant deadline = Instant.now().plus(KAFKA_TIMEOUT);
            while (!partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p))
                    && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        letters.add(letter(record));
                    }
                }
            }
            return withReplays(productMajor, letters.stream()
                    .sorted(Comparator.comparing(DeadLetter::time).thenComparing(DeadLetter::offset).reversed())
                    .limit(limit)
                    .toList());
        } catch (org.apache.kafka.common.KafkaException e) {
            throw unreadable(topic, e);
        }
    }

    /** Refuses a major that was never released ({@code major-not-found}) and a product that does not exist. */
    void requireReleased(String domain, String product, int major) {
        try {
            if (catalog.newest(domain, product, major, LifecycleStatus.released()).isEmpty()) {
                throw new IngestionException(IngestionException.Reason.NOT_FOUND, "major-not-found",
                        "product " + domain + "/" + product + " has no released version of major " + major);
            }
        } catch (RegistryException e) {
            throw new IngestionException(IngestionException.Reason.NOT_FOUND, e.code(), e.getMessage());
        }
    }

    /** What was read for a replay: the letters found, in (partition, offset) order, and the named ones not found. */
    record Selected(List<ConsumerRecord<byte[], byte[]>> found, List<DeadLetterSelection.Position> missing) {
    }

    /**
     * Reads the letters a replay selects. Refuses ({@code invalid-selection}) a selection of more than
     * {@link DeadLetterReplays#MAX_LETTERS} letters.
     */
    Selected read(ProductMajor major, DeadLetterSelection selection) {
        String topic = major.deadLetterTopic();
        try (Consumer<byte[], byte[]> consumer = newConsumer()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, KAFKA_TIMEOUT);
            List<TopicPartition> partitions = infos == null ? List.of() : infos.stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            Map<TopicPartition, Long> ends = partitions.isEmpty() ? Map.of()
                    : consumer.endOffsets(partitions, KAFKA_TIMEOUT);
            Map<TopicPartition, Long> begins = partitions.isEmpty() ? Map.of()
                    : consumer.beginningOffsets(partitions, KAFKA_TIMEOUT);
            Map<Integer, NavigableSet<Long>> wanted = wanted(selection, topic, begins, ends);
            List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
            Instant deadline = Instant.now().plus(KAFKA_TIMEOUT);
            for (Map.Entry<Integer, NavigableSet<Long>> partition : wanted.entrySet()) {
                TopicPartition tp = new TopicPartition(topic, partition.getKey());
                found.addAll(read(consumer, tp, partition.getValue(), ends.get(tp), deadline));
            }
            List<DeadLetterSelection.Position> missing = new ArrayList<>();
            if (selection.letters() != null) {
                java.util.Set<String> at = new java.util.HashSet<>();
                found.forEach(r -> at.add(r.partition() + "/" + r.offset()));
                selection.letters().stream().distinct()
                        .filter(p -> !at.contains(p.partition() + "/" + p.offset()))
                        .forEach(missing::add);
            }
            return new Selected(found, missing);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw unreadable(topic, e);
        }
    }

    /** The offsets to read, by partition, within what each partition holds. */
    private static Map<Integer, NavigableSet<Long>> wanted(DeadLetterSelection selection, String topic,
                                                          Map<TopicPartition, Long> begins,
                                                          Map<TopicPartition, Long> ends) {
        Map<Integer, NavigableSet<Long>> wanted = new TreeMap<>();
        if (Boolean.TRUE.equals(selection.all())) {
            long total = 0;
            for (TopicPartition tp : ends.keySet()) {
                total += ends.get(tp) - begins.get(tp);
            }
            if (total > DeadLetterReplays.MAX_LETTERS) {
                throw new IngestionException(IngestionException.Reason.INVALID, "invalid-selection",
                        "the dead-letter topic " + topic + " holds " + total + " letters, more than the "
                                + DeadLetterReplays.MAX_LETTERS + " one replay takes: select them by ranges of "
                                + "offsets");
            }
            for (TopicPartition tp : ends.keySet()) {
                for (long offset = begins.get(tp); offset < ends.get(tp); offset++) {
                    wanted.computeIfAbsent(tp.partition(), p -> new TreeSet<>()).add(offset);
                }
            }
        } else if (selection.range() != null) {
            DeadLetterSelection.Range range = selection.range();
            TopicPartition tp = new TopicPartition(topic, range.partition());
            if (ends.containsKey(tp)) {
                for (long offset = Math.max(range.fromOffset(), begins.get(tp));
                     offset <= range.toOffset() && offset < ends.get(tp); offset++) {
                    wanted.computeIfAbsent(tp.partition(), p -> new TreeSet<>()).add(offset);
                }
            }
        } else {
            for (DeadLetterSelection.Position position : selection.letters()) {
                TopicPartition tp = new TopicPartition(topic, position.partition());
                if (ends.containsKey(tp) && position.offset() >= begins.get(tp)
                        && position.offset() < ends.get(tp)) {
                    wanted.computeIfAbsent(tp.partition(), p -> new TreeSet<>()).add(position.offset());
                }
            }
        }
        return wanted;
    }

    /** The records at these offsets of one partition, reading forward and seeking over long gaps. */
    private static List<ConsumerRecord<byte[], byte[]>> read(Consumer<byte[], byte[]> consumer, TopicPartition tp,
                                                            NavigableSet<Long> offsets, long end, Instant deadline) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        consumer.assign(List.of(tp));
        consumer.seek(tp, offsets.first());
        Long next = offsets.first();
        while (next != null) {
            if (Instant.now().isAfter(deadline)) {
                throw new IngestionException(IngestionException.Reason.UNAVAILABLE, "kafka-unavailable",
                        "the dead-letter topic " + tp.topic() + " could not be read within "
                                + KAFKA_TIMEOUT.toSeconds() + " s");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (offsets.contains(record.offset())) {
                    found.add(record);
                }
            }
            long position = consumer.position(tp);
            next = position >= end ? null : offsets.ceiling(position);
            if (next != null && next - position > SEEK_GAP) {
                consumer.seek(tp, next);
            }
        }
        return found;
    }

    /** The letters with what became of their events. */
    private List<DeadLetter> withReplays(ProductMajor major, List<DeadLetter> letters) {
        List<ReplayLedger.Source> sources = letters.stream().map(DeadLetterReader::source).filter(Objects::nonNull)
                .toList();
        if (sources.isEmpty()) {
            return letters;
        }
        Map<ReplayLedger.Source, ReplayLedger.Entry> replays = ledger.find(major.key(), sources);
        return letters.stream().map(letter -> {
            ReplayLedger.Entry entry = replays.get(source(letter));
            return entry == null ? letter : letter.withReplay(entry.replayed() ? "REPLAYED" : "IN_DOUBT",
                    entry.replayed() ? entry.replayedAt() : entry.claimedAt(), entry.by());
        }).toList();
    }

    private static ReplayLedger.Source source(DeadLetter letter) {
        return letter.sourcePartition() == null || letter.sourceOffset() == null ? null
                : new ReplayLedger.Source(letter.sourcePartition(), letter.sourceOffset());
    }

    static DeadLetter letter(ConsumerRecord<byte[], byte[]> record) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        String payload = new String(value, StandardCharsets.UTF_8);
        if (payload.length() > PREVIEW_CHARACTERS) {
            payload = payload.substring(0, PREVIEW_CHARACTERS);
        }
        return new DeadLetter(record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()),
                header(record, LandingJob.REASON_HEADER), integer(header(record, LandingJob.SOURCE_PARTITION_HEADER)),
                number(header(record, LandingJob.SOURCE_OFFSET_HEADER)), payload, value.length, null, null, null);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    // Anybody may write to a dead-letter topic: a header that is no number is as good as none.
    private static Integer integer(String text) {
        try {
            return text == null ? null : Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long number(String text) {
        try {
            return text == null ? null : Long.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static IngestionException unreadable(String topic, org.apache.kafka.common.KafkaException e) {
        return new IngestionException(IngestionException.Reason.UNAVAILABLE, "kafka-unavailable",
                "the dead-letter topic " + topic + " could not be read: " + e.getMessage());
    }

    private Consumer<byte[], byte[]> newConsumer() {
        Map<String, Object> config = new HashMap<>(kafka.clientProperties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "mesh-dead-letters");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(config);
    }
}
