package dev.meshplatform.app.infrastructure;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka broker (KRaft, broker and controller in one) inside the platform's JVM, listening on 127.0.0.1
 * only, its log under the data folder. Kafka's server classes are internal API: this is the one class that uses them.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats the log folder on first use and starts the broker; returns once it answers.
     *
     * @param maxMessageBytes the broker's {@code message.max.bytes}
     */
    public static EmbeddedKafkaBroker start(Path logDir, int port, int controllerPort, int maxMessageBytes) {
        long started = System.nanoTime();
        int brokerPort = port > 0 ? port : freePort();
        int quorumPort = controllerPort > 0 ? controllerPort : freePort();
        Properties props = new Properties();
        props.put("node.id", "1");
        props.put("process.roles", "broker,controller");
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + quorumPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + quorumPort);
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("default.replication.factor", "1");
        props.put("message.max.bytes", String.valueOf(maxMessageBytes));
        props.put("replica.fetch.max.bytes", String.valueOf(maxMessageBytes));
        try {
            Files.createDirectories(logDir);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(logDir, props);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the embedded Kafka log folder " + logDir, e);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        String bootstrap = "127.0.0.1:" + brokerPort;
        awaitReady(bootstrap);
        log.info("Embedded Kafka broker started on {} (log in {}) in {} ms", bootstrap, logDir,
                (System.nanoTime() - started) / 1_000_000);
        return new EmbeddedKafkaBroker(server, bootstrap);
    }

    private static void format(Path logDir, Properties props) throws IOException {
        Path config = Files.createTempFile("mesh-kafka", ".properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "embedded broker");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit = kafka.tools.StorageTool.execute(new String[]{"format", "-t", Uuid.randomUuid().toString(),
                "-c", config.toString()}, new PrintStream(output, true, StandardCharsets.UTF_8));
        Files.deleteIfExists(config);
        if (exit != 0) {
            throw new IllegalStateException("formatting the embedded Kafka log folder " + logDir + " failed: "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    private static void awaitReady(String bootstrap) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the embedded Kafka broker did not answer within 60 s", notYet);
                    }
                }
            }
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the broker, waiting at most 30 seconds (a KRaft shutdown can hang; see VERSIONS.md). */
    @Override
    public void close() {
        Thread stopper = new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "embedded-kafka-shutdown");
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopper.isAlive()) {
            log.warn("The embedded Kafka broker did not stop within 30 s; leaving it to the JVM's exit");
        } else {
            log.info("Embedded Kafka broker stopped");
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
