package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.SqlRefusedException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The main class of a run JVM: the process in which one run of one product's transformation executes, apart from the
 * platform's own JVM. It starts Spark, says {@code ready}, waits for its run on standard input, executes it
 * ({@link SandboxedRun}), reports on standard output and exits. It exits too when its standard input closes: the
 * platform that started it is gone.
 */
public final class RunJvm {

    static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private RunJvm() {
    }

    public static void main(String[] args) {
        // The protocol owns the real standard output; everything else (Spark, logging) goes to standard error.
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int status = 0;
        SandboxedRun.Sessions sessions = null;
        try {
            String bootLine = in.readLine();
            if (bootLine == null) {
                return;
            }
            RunJvmBoot boot = JSON.readValue(bootLine, RunJvmBoot.class);
            sessions = SandboxedRun.start(boot);
            protocol.println(JSON.writeValueAsString(RunEvent.ready()));
            String specLine = in.readLine();
            if (specLine == null) {
                return;
            }
            if (specLine.equals(SandboxedAnalysis.ANALYSES)) {
                serveAnalyses(sessions, in, protocol);
                return;
            }
            RunSpec spec = JSON.readValue(specLine, RunSpec.class);
            watchForThePlatformLeaving(in);
            try {
                var outcome = new SandboxedRun(sessions, spec,
                        event -> protocol.println(JSON.writeValueAsString(event))).execute();
                protocol.println(JSON.writeValueAsString(outcome));
            } catch (SqlRefusedException e) {
                protocol.println(JSON.writeValueAsString(RunEvent.refused(e.getMessage(), e.construct(), e.line(),
                        e.column())));
            }
        } catch (Throwable e) {
            // Any error is the run's: reported in words; the platform keeps standard error's tail for the rest.
            protocol.println(JSON.writeValueAsString(RunEvent.failed(describe(e))));
            status = e instanceof OutOfMemoryError ? 3 : 1;
        } finally {
            protocol.flush();
            try {
                if (sessions != null) {
                    // The catalog's JDBC connections end cleanly, not with the process (a database logs those).
                    SessionCatalogs.close(sessions.platform());
                }
            } finally {
                // Spark's non-daemon threads would keep the JVM alive: a run JVM ends with its run.
                Runtime.getRuntime().halt(status);
            }
        }
    }

    /**
     * An analysis JVM answers one analysis per line until its standard input closes. Each analysis has empty views of
     * declared schemas only: no catalog, no data, nothing of one domain's left for the next.
     */
    private static void serveAnalyses(SandboxedRun.Sessions sessions, BufferedReader in, PrintStream protocol)
            throws java.io.IOException {
        String line;
        while ((line = in.readLine()) != null) {
            RunEvent answer;
            try {
                answer = RunEvent.lineage(SandboxedAnalysis.lineage(sessions.query(),
                        JSON.readValue(line, SandboxedAnalysis.Request.class)));
            } catch (RuntimeException | StackOverflowError e) {
                answer = RunEvent.failed(describe(e));
            }
            protocol.println(JSON.writeValueAsString(answer));
        }
    }

    /** A run JVM whose platform died exits at once, so that nothing it started runs on unsupervised. */
    private static void watchForThePlatformLeaving(BufferedReader in) {
        Thread watcher = new Thread(() -> {
            try {
                while (in.read() >= 0) {
                    // Nothing more is expected on standard input; anything read is ignored.
                }
            } catch (java.io.IOException closed) {
                // The pipe broke: the same as end of input.
            }
            Runtime.getRuntime().halt(4);
        }, "platform-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : root.getMessage().lines().findFirst().orElse("");
        return root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }
}
