package dev.meshplatform.processing.runs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * A class-data-sharing archive of the classes a run JVM loads (Spark, Iceberg, Parquet…), so that every run JVM after
 * the first starts with them mapped rather than loaded and verified: about half the CPU a run JVM spends before its
 * run, measured here. One training JVM (started, warmed up, stopped) writes the archive once per platform process,
 * into a folder only the platform's user can read; JVMs started before it is ready start without it. Java's
 * dynamic archives need a class path of jars only: where the run JVM's code comes from directories (an IDE) or
 * from a Spring Boot fat jar, there is no archive and nothing changes.
 */
final class RunJvmClassArchive implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunJvmClassArchive.class);

    private final List<String> jars;
    private Path folder;
    private Path archive;
    private Process training;
    private volatile boolean ready;

    private RunJvmClassArchive(List<String> jars) {
        this.jars = jars;
    }

    /** The archive for this JVM's class path, or null when the class path does not allow one. */
    static RunJvmClassArchive forThisClassPath() {
        List<String> jars = jarClassPath();
        return jars == null ? null : new RunJvmClassArchive(jars);
    }

    /** The class path run JVMs get with an archive: the jars, without the directories a run needs nothing of. */
    String classPath() {
        return String.join(File.pathSeparator, jars);
    }

    /** The options that make a run JVM use the archive, once it is written. */
    List<String> options() {
        return ready ? List.of("-XX:SharedArchiveFile=" + archive) : List.of();
    }

    /**
     * Starts the training JVM unless it ran already: {@code command} started with an instruction to archive its
     * classes at exit, sent {@code boot}, and left to exit after its warm-up.
     */
    synchronized void train(List<String> command, java.util.Map<String, String> environment, String boot) {
        if (training != null || ready) {
            return;
        }
        try {
            folder = Files.createTempDirectory("mesh-run-jvm-classes");
            archive = folder.resolve("run-jvm.jsa");
            Path writing = folder.resolve("run-jvm.jsa.part");
            List<String> trainer = new ArrayList<>(command);
            trainer.add(1, "-XX:ArchiveClassesAtExit=" + writing);
            ProcessBuilder builder = new ProcessBuilder(trainer).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().clear();
            builder.environment().putAll(environment);
            training = builder.start();
            // Spark and the warm-up, then end of input: the JVM exits and writes its classes.
            training.getOutputStream().write((boot + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            training.getOutputStream().close();
            long started = System.nanoTime();
            training.onExit().thenAccept(ended -> {
                if (ended.exitValue() == 0 && Files.exists(writing)) {
                    try {
                        Files.move(writing, archive, StandardCopyOption.ATOMIC_MOVE);
                        ready = true;
                        log.info("Run JVMs start with a class archive from now on (trained in {} s)",
                                (System.nanoTime() - started) / 1_000_000_000);
                    } catch (IOException e) {
                        log.warn("The run JVMs' class archive could not be kept: {}", e.toString());
                    }
                } else {
                    log.warn("The run JVMs' class archive could not be written (exit {}); they start without one",
                            ended.exitValue());
                }
            });
        } catch (IOException e) {
            log.warn("The run JVMs' class archive could not be trained: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        if (training != null) {
            training.destroyForcibly();
        }
        if (folder != null) {
            try (var files = Files.list(folder)) {
                files.forEach(file -> file.toFile().delete());
            } catch (IOException e) {
                // A folder left in the temporary directory: harmless, and readable by the platform's user only.
            }
            folder.toFile().delete();
        }
    }

    /**
     * The jars of this JVM's class path (a class path that is one jar whose manifest lists the rest, as test runners
     * make it, is expanded), or null when the run JVM's own code does not come from a jar.
     */
    private static List<String> jarClassPath() {
        if (!fromJar(RunJvm.class) || !fromJar(dev.meshplatform.registry.api.SchemaField.class)) {
            return null;
        }
        List<String> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(path)) {
                continue;
            }
            List<String> listed = manifestClassPath(path);
            if (listed == null) {
                return null;
            }
            if (listed.isEmpty()) {
                jars.add(path.toAbsolutePath().toString());
            } else {
                listed.stream().filter(j -> j.endsWith(".jar") && Files.isRegularFile(Path.of(j))).forEach(jars::add);
            }
        }
        return jars.isEmpty() ? null : jars;
    }

    private static boolean fromJar(Class<?> type) {
        var source = type.getProtectionDomain().getCodeSource();
        return source != null && "file".equals(source.getLocation().getProtocol())
                && source.getLocation().getPath().endsWith(".jar");
    }

    /** The jars a jar's manifest lists ({@code Class-Path}); empty when it lists none; null for a Boot fat jar. */
    private static List<String> manifestClassPath(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                return List.of();
            }
            if (manifest.getMainAttributes().getValue("Spring-Boot-Lib") != null) {
                return null;
            }
            String listed = manifest.getMainAttributes().getValue("Class-Path");
            if (listed == null || listed.isBlank()) {
                return List.of();
            }
            List<String> jars = new ArrayList<>();
            for (String item : listed.trim().split("\\s+")) {
                URI uri = jar.toUri().resolve(item);
                jars.add(Path.of(uri).toString());
            }
            return jars;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
