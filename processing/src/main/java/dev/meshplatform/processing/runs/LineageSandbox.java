package dev.meshplatform.processing.runs;

import dev.meshplatform.registry.api.ColumnLineage;
import dev.meshplatform.registry.api.LineageAnalyzer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The registry's lineage analyzer: analyses run in one long-lived analysis JVM (started on first use, restarted when
 * it dies or exceeds its limit), never in the platform's JVM, since analysis resolves a domain's SQL. Analyses are
 * answered one at a time.
 */
final class LineageSandbox implements LineageAnalyzer, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LineageSandbox.class);

    /** How long one analysis may take once the JVM is up: analysis of a checked plan over empty views is quick. */
    static final Duration ANALYSIS_LIMIT = Duration.ofSeconds(30);
    /** How long an apply waits for the analysis JVM to start. */
    static final Duration START_LIMIT = Duration.ofMinutes(3);

    private final Supplier<RunJvmProcess> starter;
    private RunJvmProcess jvm;
    private boolean closed;

    /** @param starter starts an analysis JVM ({@link RunJvms#startForAnalyses()}) */
    LineageSandbox(Supplier<RunJvmProcess> starter) {
        this.starter = starter;
    }

    @Override
    public synchronized ColumnLineage analyze(String sql, List<LineageInput> inputs) {
        if (closed) {
            return ColumnLineage.unavailable("the platform is stopping");
        }
        if (jvm == null || !jvm.alive()) {
            jvm = starter.get();
        }
        try {
            RunEvent answer = jvm.analyze(new SandboxedAnalysis.Request(sql, inputs), START_LIMIT, ANALYSIS_LIMIT);
            if ("lineage".equals(answer.event()) && answer.lineage() != null) {
                return answer.lineage();
            }
            log.info("The analysis sandbox could not analyze a transformation: {}", answer.message());
            return ColumnLineage.unavailable("the analysis failed: " + answer.message());
        } catch (RunJvmProcess.RunStopped stopped) {
            log.info("The analysis JVM stopped: {}", stopped.getMessage());
            jvm = null;
            return ColumnLineage.unavailable(stopped.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (jvm != null) {
            jvm.close();
        }
    }
}
