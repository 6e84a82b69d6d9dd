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

/** The built platform jar running as a child JVM, for tests that kill it (SIGKILL) or freeze it (SIGSTOP). */
public final class PlatformProcess implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final Path log;
    private final int port;
    private Process process;

    public PlatformProcess(String name, Path workDir, List<String> arguments) {
        this.name = name;
        this.port = freePort();
        this.log = workDir.resolve(name + ".log");
        Path jar = Path.of("target", "mesh-platform.jar").toAbsolutePath();
        String java = ProcessHandle.current().info().command().orElse("java");
        command = new ArrayList<>(List.of(java, "-Xmx1g", "-jar", jar.toString(), "--server.port=" + port));
        command.addAll(arguments);
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the process and waits until it answers UP. */
    public PlatformProcess start() {
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
        Api api = api();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited; see " + log);
                    }
                    return api.get("/actuator/health", null).json().path("status").asString().equals("UP");
                });
        return this;
    }

    public Api api() {
        return new Api("http://127.0.0.1:" + port);
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
