package dev.meshplatform.ingestion.landing;

import dev.meshplatform.ingestion.api.EventBatchResult;
import dev.meshplatform.ingestion.api.EventIngestion;
import dev.meshplatform.ingestion.api.IngestionException;
import dev.meshplatform.ingestion.api.IngestionProperties;
import dev.meshplatform.ingestion.api.RawTables;
import dev.meshplatform.registry.api.ProductVersionView;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Events over HTTP: each event of a batch is checked against the product's contract; valid ones are produced to
 * the product's topic (idempotent producer, acks=all) and the answer waits until every one is acknowledged.
 * Invalid ones are answered by index and reason; the rest of the batch goes on.
 */
class EventProducer implements EventIngestion {

    private static final Logger log = LoggerFactory.getLogger(EventProducer.class);
    // Strict like the contract: duplicate keys refused, decimals kept digit for digit when re-serialized.
    private static final JsonMapper JSON = EventContract.strictJson();

    private final ProductContracts contracts;
    private final Producer<byte[], byte[]> producer;
    private final IdempotencyStore idempotency;
    private final IngestionProperties properties;
    private final Clock clock;

    public EventProducer(ProductContracts contracts, Producer<byte[], byte[]> producer, IdempotencyStore idempotency,
                         IngestionProperties properties, Clock clock) {
        this.contracts = contracts;
        this.producer = producer;
        this.idempotency = idempotency;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public EventBatchResult ingest(String domain, String product, Integer major, byte[] body, boolean ndjson,
                                   String idempotencyKey) {
        int effectiveMajor = major != null ? major : contracts.newestPublishedMajor(domain, product);
        ProductVersionView version = contracts.requireKafkaVersion(domain, product, effectiveMajor);
        String jobKey = RawTables.jobKey(domain, product, effectiveMajor);
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            return produce(version, body, ndjson);
        }
        if (idempotencyKey.length() > 200) {
            throw new IngestionException(IngestionException.Reason.INVALID, "invalid-idempotency-key",
                    "an Idempotency-Key has at most 200 characters");
        }
        String hash = sha256(body);
        Instant now = clock.instant();
        if (!idempotency.claim(jobKey, idempotencyKey, hash, now)) {
            IdempotencyStore.Entry entry = idempotency.find(jobKey, idempotencyKey).orElseThrow(() ->
                    new IngestionException(IngestionException.Reason.CONFLICT, "request-in-progress",
                            "a batch with this Idempotency-Key is being processed; retry later"));
            if (!entry.requestHash().equals(hash)) {
                throw new IngestionException(IngestionException.Reason.INVALID, "idempotency-key-reused",
                        "this Idempotency-Key was used for a different batch");
            }
            if (entry.response() != null) {
                EventBatchResult stored = JSON.readValue(entry.response(), EventBatchResult.class);
                return new EventBatchResult(stored.topic(), stored.accepted(), stored.rejected(), true);
            }
            if (!idempotency.takeOver(jobKey, idempotencyKey, hash, now)) {
                throw new IngestionException(IngestionException.Reason.CONFLICT, "request-in-progress",
                        "a batch with this Idempotency-Key is being processed; retry later");
            }
        }
        try {
            EventBatchResult result = produce(version, body, ndjson);
            idempotency.answer(jobKey, idempotencyKey, JSON.writeValueAsString(result));
            return result;
        } catch (RuntimeException e) {
            idempotency.forget(jobKey, idempotencyKey);
            throw e;
        }
    }

    private EventBatchResult produce(ProductVersionView version, byte[] body, boolean ndjson) {
        String topic = RawTables.topic(version.domain(), version.product(), version.major());
        EventContract contract = EventContract.of(ProductContracts.eventSchema(version));
        long maxRecordBytes = properties.maxRecordSize().toBytes();
        List<EventBatchResult.Rejected> rejected = new ArrayList<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        List<Integer> sendIndexes = new ArrayList<>();
        int index = 0;
        for (byte[] event : split(body, ndjson)) {
            String refusal = null;
            if (event.length > maxRecordBytes) {
                refusal = "the event has " + event.length + " bytes, over the limit of " + maxRecordBytes
                        + " bytes";
            } else {
                EventContract.Outcome outcome = contract.read(event);
                refusal = outcome.refusal();
            }
            if (refusal != null) {
                rejected.add(new EventBatchResult.Rejected(index, refusal));
            } else {
                sends.add(producer.send(new ProducerRecord<>(topic, null, event)));
                sendIndexes.add(index);
            }
            index++;
        }
        int accepted = 0;
        for (int i = 0; i < sends.size(); i++) {
            try {
                sends.get(i).get(2, TimeUnit.MINUTES);
                accepted++;
            } catch (ExecutionException | TimeoutException e) {
                String cause = e instanceof ExecutionException ? String.valueOf(e.getCause()) : "timed out";
                rejected.add(new EventBatchResult.Rejected(sendIndexes.get(i), "not delivered to Kafka: " + cause));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IngestionException(IngestionException.Reason.UNAVAILABLE, "interrupted",
                        "interrupted while waiting for Kafka");
            }
        }
        rejected.sort(java.util.Comparator.comparingInt(EventBatchResult.Rejected::index));
        if (!rejected.isEmpty()) {
            log.debug("Batch for {}: {} accepted, {} rejected", topic, accepted, rejected.size());
        }
        return new EventBatchResult(topic, accepted, rejected, false);
    }

    /** The events of a body, each as compact JSON bytes (NDJSON: each non-blank line as sent). */
    static List<byte[]> split(byte[] body, boolean ndjson) {
        List<byte[]> events = new ArrayList<>();
        if (ndjson) {
            int start = 0;
            for (int i = 0; i <= body.length; i++) {
                if (i == body.length || body[i] == '\n') {
                    int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
                    if (!new String(body, start, end - start, StandardCharsets.UTF_8).isBlank()) {
                        byte[] line = new byte[end - start];
                        System.arraycopy(body, start, line, 0, line.length);
                        events.add(line);
                    }
                    start = i + 1;
                }
            }
            return events;
        }
        JsonNode array;
        try {
            array = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new IngestionException(IngestionException.Reason.INVALID, "malformed-body",
                    "the body is not a JSON array of events: " + e.getOriginalMessage()
                            + " (send NDJSON as application/x-ndjson)");
        }
        if (array == null || !array.isArray()) {
            throw new IngestionException(IngestionException.Reason.INVALID, "malformed-body",
                    "the body is a JSON array of events, or NDJSON with Content-Type application/x-ndjson");
        }
        for (JsonNode event : array) {
            events.add(JSON.writeValueAsBytes(event));
        }
        return events;
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
