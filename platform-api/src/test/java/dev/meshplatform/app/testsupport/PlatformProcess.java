package dev.meshplatform.app.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The built platform jar running as a child JVM: as the README runs it, or for tests that kill it (SIGKILL) or
 * freeze it (SIGSTOP).
 */
public final class PlatformProcess implements AutoCloseable {

    /** How long a first start may take while other builds share 2 cores (docs/benchmarks.md measured up to 106 s). */
    public static final Duration BUSY_MACHINE_START = Duration.ofMinutes(3);

    private final String name;
    private final List<String> command;
    private final Path workingDirectory;
    private final Path log;
    private final int port;
    private Process process;

    /**
     * A platform with a 1 GB heap and the given arguments, its log in {@code workDir/<name>.log}. It runs on the
     * client compiler only: a test platform lives for seconds to minutes, and its start (restarted several times in
     * a test) then costs about 40% less CPU, measured here; the README's run command ({@link #asInTheReadme}) keeps
     * the JVM's defaults. It starts from the extracted jar with a class archive ({@link FastPlatformLaunch}).
     */
    public PlatformProcess(String name, Path workDir, List<String> arguments) {
        this(name, workDir, List.of("-Xmx1g", "-XX:TieredStopAtLevel=1"), withFreePorts(arguments), null, true);
    }

    // Several platforms run side by side in a test: each embedded server on a free port.
    static List<String> withFreePorts(List<String> arguments) {
        List<String> all = new ArrayList<>(List.of("--mesh.ingestion.embedded-kafka.port=0",
                "--mesh.ingestion.embedded-kafka.controller-port=0", "--mesh.storage.s3.embedded-port=0",
                "--mesh.storage.catalog.embedded-port=0"));
        all.addAll(arguments);
        return all;
    }

    /** {@code fast}: from the extracted jar with a class archive ({@link FastPlatformLaunch}), for test platforms. */
    private PlatformProcess(String name, Path workDir, List<String> jvmOptions, List<String> arguments,
                            Path workingDirectory, boolean fast) {
        this.name = name;
        this.port = freePort();
        this.log = workDir.resolve(name + ".log");
        this.workingDirectory = workingDirectory;
        Path jar = Path.of("target", "mesh-platform.jar").toAbsolutePath();
        String java = ProcessHandle.current().info().command().orElse("java");
        command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(fast ? FastPlatformLaunch.jarOptions(jar, java) : List.of("-jar", jar.toString()));
        command.add("--server.port=" + port);
        if (fast) {
            // From the executable jar run JVMs get no class archive; extracted they would train one: kept as before.
            command.add("--mesh.processing.run-jvm-class-archive=false");
        }
        command.addAll(arguments);
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The README's run command: {@code java -jar mesh-platform.jar} with no JVM flags and no configuration but a free
     * port, in {@code workDir}, so that its data goes to {@code workDir/data}; its log is {@code workDir/platform.log}.
     */
    public static PlatformProcess asInTheReadme(Path workDir) {
        return new PlatformProcess("platform", workDir, List.of(), List.of(), workDir, false);
    }

    /**
     * A platform as the README runs it (the JVM's own defaults: what is measured is what users get), with the given
     * arguments and its data under {@code workDir/data}: for benchmarks.
     */
    public static PlatformProcess forBenchmark(String name, Path workDir, List<String> arguments) {
        return forBenchmark(name, workDir, List.of(), arguments);
    }

    /** As {@link #forBenchmark(String, Path, List)}, with JVM options (a profiler's, say) before the jar. */
    public static PlatformProcess forBenchmark(String name, Path workDir, List<String> jvmOptions,
                                               List<String> arguments) {
        return new PlatformProcess(name, workDir, jvmOptions, withFreePorts(arguments), workDir, false);
    }

    /** Starts the process and waits until it answers UP, at most 180 seconds (a loaded 2-core machine has taken 70). */
    public PlatformProcess start() {
        return start(Duration.ofSeconds(180));
    }

    /**
     * Starts the process and waits until it answers UP, at most {@code atMost}; a process that does not is killed,
     * since the caller never gets it to close.
     */
    public PlatformProcess start(Duration atMost) {
        return launch().awaitUp(atMost);
    }

    /**
     * Starts the process without waiting for it: several platforms (or a platform and other servers) then start side
     * by side; {@link #awaitUp} waits for it.
     */
    public PlatformProcess launch() {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
        return this;
    }

    /** Waits until the launched process answers UP, at most 180 seconds. */
    public PlatformProcess awaitUp() {
        return awaitUp(Duration.ofSeconds(180));
    }

    /** Waits until the launched process answers UP, at most {@code atMost}; one that does not is killed. */
    public PlatformProcess awaitUp(Duration atMost) {
        Api api = api();
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(name + " exited; see " + log);
                        }
                        return api.get("/actuator/health", null).json().path("status").asString().equals("UP");
                    });
        } catch (RuntimeException notUp) {
            close();
            throw notUp;
        }
        return this;
    }

    public Api api() {
        return new Api(baseUrl());
    }

    /** Where the platform listens: {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: the process freezes mid-work, as in a long GC pause or a partition from the database. */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT: a frozen process goes on where it stopped, unaware of the time that passed. */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start()
                    .waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last {@code lines} lines of the platform's log, to print beside a failure. */
    public String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            thaw();
            kill();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
