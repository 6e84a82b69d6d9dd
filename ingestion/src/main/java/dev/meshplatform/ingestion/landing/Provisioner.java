package dev.meshplatform.ingestion.landing;

import dev.meshplatform.ingestion.api.IngestionException;
import dev.meshplatform.ingestion.api.IngestionProperties;
import dev.meshplatform.ingestion.api.RawTables;
import dev.meshplatform.registry.api.InputPort;
import dev.meshplatform.registry.api.LifecycleStatus;
import dev.meshplatform.registry.api.ProductMajor;
import dev.meshplatform.registry.api.ProductVersionView;
import dev.meshplatform.registry.api.RetiredDataPurge;
import dev.meshplatform.registry.api.VersionTransitioned;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Makes a published product major ready to take events, idempotently: its topic and dead-letter topic, and its raw
 * table (the contract plus ingestion columns, partitioned by day of ingestion). A later minor version evolves the
 * table by name, never dropping a column. Runs inside the publishing transaction: when it fails, the version is not
 * published and the call can simply be repeated.
 */
final class Provisioner implements RetiredDataPurge {

    private static final Logger log = LoggerFactory.getLogger(Provisioner.class);

    /**
     * Table properties every raw table has. Commit retries stay on for others (compaction, expiry), which never
     * touch the landing properties; the landing job's own commits never use Iceberg's retry (RawTableCommitter).
     */
    public static final Map<String, String> RAW_TABLE_PROPERTIES = Map.of(
            TableProperties.FORMAT_VERSION, "2",
            TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true",
            TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "20",
            TableProperties.PARQUET_COMPRESSION, "zstd");

    private final Admin admin;
    private final Catalog catalog;
    private final IngestionProperties properties;
    private final LandingJobStore jobs;
    private final ProductContracts contracts;
    private final ReplayLedger replays;
    private final Clock clock;

    public Provisioner(Admin admin, Catalog catalog, IngestionProperties properties, LandingJobStore jobs,
                       ProductContracts contracts, ReplayLedger replays, Clock clock) {
        this.admin = admin;
        this.catalog = catalog;
        this.properties = properties;
        this.jobs = jobs;
        this.contracts = contracts;
        this.replays = replays;
        this.clock = clock;
    }

    @EventListener
    public void onTransition(VersionTransitioned event) {
        ProductVersionView version = event.version();
        if (version.descriptor().kafkaInput().isEmpty()) {
            return;
        }
        if (event.to() == LifecycleStatus.PUBLISHED) {
            provision(version);
        } else if (event.to() == LifecycleStatus.RETIRED
                && contracts.current(version.domain(), version.product(), version.major()).isEmpty()) {
            // The major's last served version retired: nothing lands for it any more. Topic and table are kept
            // with their data.
            String key = RawTables.jobKey(version.domain(), version.product(), version.major());
            if (!jobs.stop(key, clock.instant())) {
                return;
            }
            log.info("Landing of {}/{} v{} stopped: the major is retired", version.domain(), version.product(),
                    version.major());
        }
    }

    public void provision(ProductVersionView version) {
        InputPort port = version.descriptor().kafkaInput().orElseThrow();
        String domain = version.domain();
        String product = version.product();
        int major = version.major();
        try {
            int partitions = port.partitions() != null ? port.partitions() : properties.defaultPartitions();
            Optional<Short> replicas = Optional.ofNullable(port.replicationFactor()).map(Integer::shortValue)
                    .or(() -> properties.defaultReplicationFactor() > 0
                            ? Optional.of((short) properties.defaultReplicationFactor()) : Optional.empty());
            ensureTopic(RawTables.topic(domain, product, major), partitions, replicas, properties.topicMaxMessageBytes());
            ensureTopic(RawTables.deadLetterTopic(domain, product, major), partitions, replicas,
                    properties.deadLetterMaxMessageBytes());
            ensureTable(RawTables.existing(catalog, new ProductMajor(domain, product, major)),
                    IcebergSchemas.rawTableSchema(ProductContracts.eventSchema(version)));
        } catch (IngestionException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IngestionException(IngestionException.Reason.UNAVAILABLE, "provisioning-failed",
                    "could not provision " + domain + "/" + product + " v" + major + ": " + e.getMessage(), e);
        }
        if (!Boolean.FALSE.equals(port.startLanding())) {
            jobs.setDesired(RawTables.jobKey(domain, product, major), domain, product, major, "RUNNING",
                    clock.instant());
        }
        log.info("Provisioned {}/{} v{} ({}): topic, dead-letter topic and raw table ready", domain, product, major,
                version.version());
    }

    /** Deletes a retired major's topics and its raw table with its files; what is gone already is skipped. */
    @Override
    public void purge(ProductMajor major) {
        // Stopped at retirement already; stopped again in case a start came since.
        jobs.stop(RawTables.jobKey(major.domain(), major.product(), major.major()), clock.instant());
        admin.deleteTopics(java.util.List.of(major.topic(), major.deadLetterTopic())).topicNameValues().values()
                .forEach(deleted -> {
                    try {
                        deleted.get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                            throw new IllegalStateException("deleting a topic of " + major + " failed: "
                                    + e.getCause(), e.getCause());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while deleting the topics of " + major, e);
                    } catch (java.util.concurrent.TimeoutException e) {
                        throw new IllegalStateException("Kafka did not delete the topics of " + major + " within 30 s",
                                e);
                    }
                });
        // The topics are gone: their dead letters' replays with them (a topic of the same name starts at offset 0).
        replays.forget(major.key());
        TableIdentifier raw = RawTables.existing(catalog, major);
        if (catalog.dropTable(raw, true)) {
            log.info("Dropped raw table {} of retired {} with its files", raw, major);
        }
    }

    private void ensureTopic(String name, int partitions, Optional<Short> replicas, int maxMessageBytes) {
        NewTopic topic = new NewTopic(name, Optional.of(partitions), replicas)
                .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(maxMessageBytes)));
        try {
            admin.createTopics(java.util.List.of(topic)).all().get(30, TimeUnit.SECONDS);
            log.info("Created topic {} with {} partitions", name, partitions);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("creating topic " + name + " failed: " + e.getCause(), e.getCause());
            }
            growPartitions(name, partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within 30 s while creating topic " + name, e);
        }
    }

    private void growPartitions(String name, int partitions) {
        try {
            TopicDescription description = admin.describeTopics(java.util.List.of(name)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(name);
            if (description.partitions().size() < partitions) {
                admin.createPartitions(Map.of(name, NewPartitions.increaseTo(partitions))).all()
                        .get(30, TimeUnit.SECONDS);
                log.info("Grew topic {} to {} partitions", name, partitions);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not check the partitions of topic " + name + ": " + e, e);
        }
    }

    private void ensureTable(TableIdentifier id, Schema schema) {
        if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(id.namespace())) {
            try {
                namespaces.createNamespace(id.namespace());
            } catch (AlreadyExistsException raced) {
                // Another instance created it at the same moment.
            }
        }
        if (!catalog.tableExists(id)) {
            try {
                catalog.buildTable(id, schema)
                        .withPartitionSpec(IcebergSchemas.rawTablePartitioning(schema))
                        .withProperties(RAW_TABLE_PROPERTIES)
                        .create();
                log.info("Created raw table {}", id);
                return;
            } catch (AlreadyExistsException raced) {
                // Fall through and evolve it like any existing table.
            }
        }
        evolve(id, schema);
    }

    // Adds new contract fields and widens types by name; never drops a column. A concurrent commit makes this
    // try again on the fresh table.
    private void evolve(TableIdentifier id, Schema schema) {
        for (int attempt = 1; ; attempt++) {
            Table table = catalog.loadTable(id);
            try {
                table.updateSchema().unionByNameWith(schema).commit();
                return;
            } catch (CommitFailedException e) {
                if (attempt >= 10) {
                    throw e;
                }
            } catch (IllegalArgumentException | org.apache.iceberg.exceptions.ValidationException e) {
                throw new IngestionException(IngestionException.Reason.CONFLICT, "incompatible-schema",
                        "the raw table " + id + " cannot take this contract: " + e.getMessage()
                                + " (incompatible changes need a new major version)");
            }
        }
    }
}
