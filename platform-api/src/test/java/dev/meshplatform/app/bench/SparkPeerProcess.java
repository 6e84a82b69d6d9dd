package dev.meshplatform.app.bench;

import org.apache.iceberg.catalog.TableIdentifier;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link SparkStreamingPeer} running as a child JVM on this JVM's class path and module flags, driven by commands on
 * its standard input; its output goes to a log file, its answers to {@link #awaitReply}.
 */
final class SparkPeerProcess implements AutoCloseable {

    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final Path log;

    /**
     * Starts the peer with a heap of {@code heap}, its queries' checkpoints and its log under {@code workDir}, and
     * hands it the catalog's properties; waits until its Spark session is up.
     */
    SparkPeerProcess(Path workDir, String heap, String bootstrapServers, Map<String, String> catalog,
                     long maxOffsetsPerTrigger, Duration trigger) throws IOException, InterruptedException {
        this(workDir, "spark-peer", heap, SparkStreamingPeer.class, List.of(bootstrapServers,
                workDir.resolve("checkpoints").toString(), String.valueOf(maxOffsetsPerTrigger),
                String.valueOf(trigger.toMillis())), catalog);
    }

    /**
     * Starts {@code main} (a class that answers as {@link SparkStreamingPeer} does) with a heap of {@code heap} and
     * {@code args}, its log as {@code <name>.log} under {@code workDir}; hands it the catalog's properties and waits
     * until it says it is ready.
     */
    SparkPeerProcess(Path workDir, String name, String heap, Class<?> main, List<String> args,
                     Map<String, String> catalog) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        log = workDir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-Xmx" + heap));
        // The --add-opens and system properties Spark needs on Java 17, as this JVM got them from the build.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> option.startsWith("--add-opens") || option.startsWith("-Djdk.reflect")
                        || option.startsWith("-Dio.netty"))
                .forEach(command::add);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread output = new Thread(this::readOutput, name + "-output");
        output.setDaemon(true);
        output.start();
        commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        catalog.forEach((key, value) -> commands.println(key + "=" + value));
        commands.println();
        awaitReply("ready", Duration.ofMinutes(3));
    }

    /** Sends one command line; its answer comes to {@link #awaitReply}. */
    void send(String command) {
        commands.println(command);
    }

    private void readOutput() {
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); Writer file = Files.newBufferedWriter(log)) {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                file.write(line);
                file.write('\n');
                if (line.startsWith(SparkStreamingPeer.REPLY)) {
                    replies.add(line.substring(SparkStreamingPeer.REPLY.length()));
                    file.flush();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a query from {@code topic} into {@code table}, from {@code startingOffsets}; answered {@code running}. */
    void land(String topic, TableIdentifier table, String startingOffsets) {
        commands.println("land " + topic + " " + table + " " + startingOffsets);
    }

    /** Stops the running query and waits until it has stopped. */
    void stop() throws InterruptedException {
        commands.println("stop");
        awaitReply("stopped", Duration.ofMinutes(2));
    }

    /** Waits for the peer's next answer, which must start with {@code expected}. */
    String awaitReply(String expected, Duration atMost) throws InterruptedException {
        String reply = replies.poll(atMost.toMillis(), TimeUnit.MILLISECONDS);
        if (reply == null || !reply.startsWith(expected)) {
            throw new IllegalStateException(log.getFileName() + " answered " + reply + " instead of " + expected
                    + (process.isAlive() ? "" : " and exited with " + process.exitValue()) + "; see " + log);
        }
        return reply;
    }

    /** Throws when the peer has ended: a condition waiting for its table would otherwise wait for nothing. */
    void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(log.getFileName() + ": exited with " + process.exitValue() + "; see " + log);
        }
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        commands.close();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
    }
}
