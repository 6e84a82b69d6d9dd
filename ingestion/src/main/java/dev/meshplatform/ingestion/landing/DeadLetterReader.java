package dev.meshplatform.ingestion.landing;

import dev.meshplatform.ingestion.api.DeadLetter;
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

/**
 * Reads the newest dead letters of a product major straight from its dead-letter topic: each partition from at most
 * {@code limit} records before its end, without a consumer group (nothing is committed, nothing is created).
 */
final class DeadLetterReader implements DeadLetters {

    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaConnection kafka;
    private final ProductCatalog catalog;

    DeadLetterReader(KafkaConnection kafka, ProductCatalog catalog) {
        this.kafka = kafka;
        this.catalog = catalog;
    }

    @Override
    public List<DeadLetter> newest(String domain, String product, int major, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IngestionException(IngestionException.Reason.INVALID, "invalid-parameter",
                    "limit must be 1 to " + MAX_LIMIT + ", not " + limit);
        }
        try {
            if (catalog.newest(domain, product, major, LifecycleStatus.released()).isEmpty()) {
                throw new IngestionException(IngestionException.Reason.NOT_FOUND, "major-not-found",
                        "product " + domain + "/" + product + " has no released version of major " + major);
            }
        } catch (RegistryException e) {
            throw new IngestionException(IngestionException.Reason.NOT_FOUND, e.code(), e.getMessage());
        }
        String topic = new ProductMajor(domain, product, major).deadLetterTopic();
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
            return letters.stream()
                    .sorted(Comparator.comparing(DeadLetter::time).thenComparing(DeadLetter::offset).reversed())
                    .limit(limit)
                    .toList();
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IngestionException(IngestionException.Reason.UNAVAILABLE, "kafka-unavailable",
                    "the dead-letter topic " + topic + " could not be read: " + e.getMessage());
        }
    }

    private static DeadLetter letter(ConsumerRecord<byte[], byte[]> record) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        String payload = new String(value, StandardCharsets.UTF_8);
        if (payload.length() > PREVIEW_CHARACTERS) {
            payload = payload.substring(0, PREVIEW_CHARACTERS);
        }
        String sourcePartition = header(record, LandingJob.SOURCE_PARTITION_HEADER);
        String sourceOffset = header(record, LandingJob.SOURCE_OFFSET_HEADER);
        return new DeadLetter(record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()),
                header(record, LandingJob.REASON_HEADER),
                sourcePartition == null ? null : Integer.valueOf(sourcePartition),
                sourceOffset == null ? null : Long.valueOf(sourceOffset), payload, value.length);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
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
