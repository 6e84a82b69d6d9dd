package dev.meshplatform.processing.runs;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One run JVM as the platform sees it: a child process that starts Spark when told how ({@link RunJvmBoot}), says
 * {@code ready}, executes one run ({@link RunSpec}) and exits. The platform supervises it: it kills it at the run's
 * time limit or on cancel, and tells an OutOfMemoryError and any other death from a result.
 */
final class RunJvmProcess implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final RunEvent EXITED = new RunEvent("exited", null, null, null, null, null, null, null, null, null);
    private static final int STDERR_LINES = 60;
    /** How long a run JVM may take to start Spark and warm up before it counts as failed to start. */
    static final Duration STARTUP_LIMIT = Duration.ofMinutes(5);

    private final Process process;
    private final String heap;
    private final BlockingQueue<RunEvent> events = new LinkedBlockingQueue<>();
    private final Deque<String> stderr = new ArrayDeque<>();
    private volatile boolean ready;
    private Thread stderrReader;
    private final StringBuilder timings = new StringBuilder();
    private volatile String stopReason;

    private RunJvmProcess(Process process, String heap) {
        this.process = process;
        this.heap = heap;
    }

    /** Starts a run JVM and sends it how to start Spark; it warms up while nobody waits for it. */
    static RunJvmProcess start(List<String> command, Map<String, String> environment, RunJvmBoot boot, String heap) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a run JVM", e);
        }
        RunJvmProcess jvm = new RunJvmProcess(process, heap);
        jvm.readEvents();
        jvm.keepStderr();
        jvm.send(JSON.writeValueAsString(boot));
        return jvm;
    }

    /** When each phase of the run began, from the hand-over of its spec: for the run's log line. */
    String timings() {
        return timings.toString().trim();
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Whether Spark is up and the JVM waits for its run. */
    boolean ready() {
        return ready && process.isAlive();
    }

    /**
     * Hands the run to the JVM and waits for its end: the staged result, a refusal or a failure the JVM reported.
     *
     * @param limit   how long the run may take from now; the JVM is killed when it is reached
     * @param phases  where the JVM's phase reports go
     * @throws RunStopped when the JVM had to be stopped (time limit, cancel) or died (OutOfMemoryError, a crash)
     */
    RunEvent run(RunSpec spec, Duration limit, Consumer<RunEvent> phases) throws RunStopped {
        send(JSON.writeValueAsString(spec));
        return awaitAnswer(STARTUP_LIMIT, limit, phases, () -> new RunStopped(RunStopped.Cause.CRASHED,
                        "the run's JVM did not start within " + format(STARTUP_LIMIT)),
                () -> new RunStopped(RunStopped.Cause.TIME_LIMIT, "the run reached its time limit of "
                        + format(limit) + " and was stopped"), "the platform stopped while the run was going on");
    }

    /**
     * Hands one analysis to an analysis JVM and waits for its answer: {@code lineage}, or {@code failed}.
     *
     * @param startLimit how long the JVM may still take to start, when it is not ready yet
     * @param limit      how long the analysis may take once the JVM is ready; the JVM is killed when it is reached
     * @throws RunStopped when the JVM had to be stopped or died
     */
    RunEvent analyze(Object request, Duration startLimit, Duration limit) throws RunStopped {
        // One JVM answers many analyses: only the last one's timings are kept.
        timings.setLength(0);
        send(JSON.writeValueAsString(request));
        return awaitAnswer(startLimit, limit, event -> {
                }, () -> new RunStopped(RunStopped.Cause.TIME_LIMIT, "the analysis sandbox did not start within "
                        + format(startLimit)),
                () -> new RunStopped(RunStopped.Cause.TIME_LIMIT, "the analysis took longer than " + format(limit)
                        + " and was stopped"), "the platform stopped during the analysis");
    }

    /**
     * Waits for the JVM's answer to what was just sent: its time counts from when the JVM is ready (its start and
     * warm-up are the platform's time, up to {@code startLimit}). Past either limit the JVM is killed.
     */
    private RunEvent awaitAnswer(Duration startLimit, Duration limit, Consumer<RunEvent> phases,
                                 Supplier<RunStopped> notStarted, Supplier<RunStopped> overLimit,
                                 String interrupted) throws RunStopped {
        long started = ready ? System.nanoTime() : 0;
        long readyBy = System.nanoTime() + startLimit.toNanos();
        try {
            while (true) {
                long now = System.nanoTime();
                if (started == 0 && ready) {
                    started = now;
                }
                long deadline = started == 0 ? readyBy : started + limit.toNanos();
                if (now >= deadline) {
                    stop("time limit");
                    throw started == 0 ? notStarted.get() : overLimit.get();
                }
                RunEvent event = events.poll(Math.min(deadline - now, TimeUnit.SECONDS.toNanos(1)),
                        TimeUnit.NANOSECONDS);
                if (event == null) {
                    continue;
                }
                long elapsed = started == 0 ? 0 : (System.nanoTime() - started) / 1_000_000;
                timings.append(event.event().equals("phase") ? event.phase() : event.event()).append(' ')
                        .append(elapsed).append("ms ");
                switch (event.event()) {
                    case "phase" -> phases.accept(event);
                    case "staged", "refused", "failed", "lineage" -> {
                        return event;
                    }
                    case "exited" -> throw ended();
                    default -> {
                        // "ready" starts the clock above; anything else is ignored.
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop("interrupted");
            throw new RunStopped(RunStopped.Cause.STOPPED, interrupted);
        }
    }

    void sendLine(String line) {
        send(line);
    }

    /** Kills the JVM now; {@code reason} is what the waiting run reports (cancelled, time limit). */
    void stop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Override
    public void close() {
        stop("closed");
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private RunStopped ended() {
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int code = process.isAlive() ? -1 : process.exitValue();
        try {
            // The JVM's last words (an OutOfMemoryError's) may still be on their way through the pipe.
            stderrReader.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String tail;
        synchronized (stderr) {
            tail = String.join("\n", stderr);
        }
        if ("cancelled".equals(stopReason)) {
            return new RunStopped(RunStopped.Cause.CANCELLED, "cancelled");
        }
        if (stopReason != null) {
            return new RunStopped(RunStopped.Cause.STOPPED, "the run's JVM was stopped (" + stopReason + ")");
        }
        String oom = tail.lines().filter(l -> l.contains("OutOfMemoryError")).findFirst().orElse(null);
        if (code == 3 || code == 52 || oom != null) {
            return new RunStopped(RunStopped.Cause.OUT_OF_MEMORY, "the run's JVM ran out of memory (heap " + heap
                    + ")" + (oom == null ? "" : ": " + oom.trim().replaceFirst("^.*?(java\\.lang\\.OutOfMemoryError)",
                    "$1")) + "; the platform and other runs are not affected");
        }
        String last = tail.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("no output");
        return new RunStopped(RunStopped.Cause.CRASHED, "the run's JVM exited with code " + code + " before it "
                + "finished: " + last.trim());
    }

    private void send(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            // The JVM is gone; the reader reports how.
        }
    }

    private void readEvents() {
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    RunEvent event;
                    try {
                        event = JSON.readValue(line, RunEvent.class);
                    } catch (RuntimeException notAnEvent) {
                        // The JVM's own last words (an OutOfMemoryError's) come on standard output.
                        keep(line);
                        continue;
                    }
                    if ("ready".equals(event.event())) {
                        ready = true;
                    }
                    events.add(event);
                }
            } catch (IOException e) {
                // The pipe closed: the JVM ended.
            } finally {
                events.add(EXITED);
            }
        }, "run-jvm-" + process.pid() + "-out");
        reader.setDaemon(true);
        reader.start();
    }

    private void keepStderr() {
        stderrReader = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    keep(line);
                }
            } catch (IOException e) {
                // The pipe closed: the JVM ended.
            }
        }, "run-jvm-" + process.pid() + "-err");
        stderrReader.setDaemon(true);
        stderrReader.start();
    }

    /** Keeps the last lines the JVM wrote besides its events: what explains a JVM that died. */
    private void keep(String line) {
        synchronized (stderr) {
            if (stderr.size() == STDERR_LINES) {
                stderr.removeFirst();
            }
            stderr.addLast(line.length() > 2000 ? line.substring(0, 2000) : line);
        }
    }

    private static String format(Duration duration) {
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    /** The JVM ended without a result of the run's own: why. */
    static final class RunStopped extends Exception {

        enum Cause {
            TIME_LIMIT, CANCELLED, OUT_OF_MEMORY, CRASHED, STOPPED
        }

        private final Cause cause;

        RunStopped(Cause cause, String message) {
            super(message, null, false, false);
            this.cause = cause;
        }

        Cause reason() {
            return cause;
        }
    }
}
