package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.ProcessingProperties;
import dev.meshplatform.processing.api.RunCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Starts run JVMs: child processes of the platform's JVM, one per run, on the platform's own classpath. Keeps
 * {@code warm-run-jvms} of them started and warmed up ahead of need, so that a run does not wait for a JVM and Spark
 * to start; each JVM still serves exactly one run.
 */
final class RunJvms implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunJvms.class);

    /** What Spark and Iceberg need on Java 17, as the platform's own JVM has it. */
    static final List<String> JAVA_OPTIONS = List.of("--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false",
            "-Dio.netty.tryReflectionSetAccessible=true");

    /** Environment variables a run JVM keeps; the platform's own settings and secrets stay behind. */
    private static final List<String> ENVIRONMENT_PREFIXES = List.of("PATH", "HOME", "LANG", "LC_", "TZ", "TMPDIR",
            "JAVA_HOME", "SPARK_", "HADOOP_", "AWS_", "USER");

    private final ProcessingProperties properties;
    private final RunCatalog catalog;
    private final RunJvmClassArchive archive;
    private final Map<String, String> environment;
    private final List<RunJvmProcess> spares = new ArrayList<>();
    private boolean closed;

    RunJvms(ProcessingProperties properties, RunCatalog catalog) {
        this.properties = properties;
        this.catalog = catalog;
        this.archive = properties.runJvmClassArchive() && properties.sparkMaster().startsWith("local")
                ? RunJvmClassArchive.forThisClassPath() : null;
        this.environment = environment();
    }

    /** The boot settings every run JVM gets: Spark's master and the task slots one run may hold. */
    RunJvmBoot boot() {
        String master = properties.sparkMaster();
        int slots = Math.max(1, Math.min(properties.taskSlotsPerRun(), properties.taskSlotsPerDomain()));
        if (master.startsWith("local")) {
            master = "local[" + slots + "]";
        }
        return new RunJvmBoot(master, slots, properties.shufflePartitions(), properties.sparkConf(),
                catalog.properties());
    }

    /**
     * A JVM for one run: a warm spare when there is one (a new spare then starts behind it), a new JVM otherwise (the
     * spares are filled after the run, so that they do not compete with the cold start the run waits for).
     */
    synchronized RunJvmProcess take() {
        while (!spares.isEmpty()) {
            RunJvmProcess spare = spares.remove(0);
            if (spare.alive()) {
                fill();
                return spare;
            }
        }
        return start();
    }

    /**
     * Starts spares up to {@code warm-run-jvms}, for a local master only: on a cluster an idle driver would hold its
     * executors' cores, so each run starts its JVM when it needs it.
     */
    synchronized void fill() {
        spares.removeIf(spare -> !spare.alive());
        int wanted = properties.sparkMaster().startsWith("local") ? properties.warmRunJvms() : 0;
        while (!closed && spares.size() < wanted) {
            spares.add(start());
        }
    }

    private RunJvmProcess start() {
        List<String> command;
        if (archive == null) {
            command = command(properties, System.getProperty("java.class.path"), List.of());
        } else {
            command = command(properties, archive.classPath(), archive.options());
            RunJvmBoot boot = boot();
            // The training JVM warms up like a run JVM, without the catalog: it needs no credentials.
            archive.train(command(properties, archive.classPath(), List.of()), environment,
                    RunJvmProcess.JSON.writeValueAsString(new RunJvmBoot(boot.master(), boot.taskSlots(),
                            boot.shufflePartitions(), boot.sparkConf(), Map.of())));
        }
        RunJvmProcess jvm = RunJvmProcess.start(command, environment, boot(), properties.runJvmHeap());
        log.debug("Started run JVM {}", jvm.pid());
        return jvm;
    }

    /**
     * Starts an analysis JVM: a run JVM on a local master of one core with no catalog, which serves analyses of
     * transformations over empty views ({@link SandboxedAnalysis}) until it is closed. It starts from the run JVMs'
     * class archive once that is written, and does not train one itself: training is the first run's.
     */
    RunJvmProcess startForAnalyses() {
        return archive == null ? startForAnalyses(properties)
                : startForAnalyses(properties, command(properties, archive.classPath(), archive.options()));
    }

    /** An analysis JVM without a class archive, where the platform runs no transformations to train one. */
    static RunJvmProcess startForAnalyses(ProcessingProperties properties) {
        return startForAnalyses(properties, command(properties, System.getProperty("java.class.path"), List.of()));
    }

    private static RunJvmProcess startForAnalyses(ProcessingProperties properties, List<String> command) {
        RunJvmProcess jvm = RunJvmProcess.start(command, environment(),
                new RunJvmBoot("local[1]", 1, 1, Map.of(), Map.of()), properties.runJvmHeap());
        jvm.sendLine(SandboxedAnalysis.ANALYSES);
        log.info("Started the analysis JVM {}{}", jvm.pid(),
                command.stream().anyMatch(o -> o.startsWith("-XX:SharedArchiveFile")) ? " with the class archive" : "");
        return jvm;
    }

    @Override
    public synchronized void close() {
        closed = true;
        spares.forEach(RunJvmProcess::close);
        spares.clear();
        if (archive != null) {
            archive.close();
        }
    }

    /**
     * The command that starts a run JVM: the same Java and classpath as the platform's. A Spring Boot fat jar is
     * started through Boot's PropertiesLauncher with {@code loader.main}, which reaches the nested jars.
     */
    static List<String> command(ProcessingProperties properties, String classpath, List<String> options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.add("-Xmx" + properties.runJvmHeap());
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-Dlogback.configurationFile=dev/meshplatform/processing/runs/logback-run.xml");
        command.addAll(JAVA_OPTIONS);
        command.addAll(properties.runJvmOptions());
        if (bootJar(classpath)) {
            command.add("-cp");
            command.add(classpath);
            command.add("-Dloader.main=" + RunJvm.class.getName());
            command.add("org.springframework.boot.loader.launch.PropertiesLauncher");
        } else {
            command.add("-cp");
            command.add(classpath);
            command.add(RunJvm.class.getName());
        }
        return List.copyOf(command);
    }

    private static boolean bootJar(String classpath) {
        if (classpath.contains(File.pathSeparator) || !classpath.endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(classpath)) {
            Manifest manifest = jar.getManifest();
            return manifest != null && manifest.getMainAttributes().getValue("Spring-Boot-Lib") != null;
        } catch (IOException e) {
            return false;
        }
    }

    static Map<String, String> environment() {
        Map<String, String> kept = new HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (ENVIRONMENT_PREFIXES.stream().anyMatch(name::startsWith)) {
                kept.put(name, value);
            }
        });
        return kept;
    }
}
