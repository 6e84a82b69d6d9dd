package dev.meshplatform.app.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How test platforms start fast: from the jar extracted into Spring Boot's layout (a thin jar whose manifest lists
 * its libraries) with a class-data-sharing archive of the classes a start loads. On this machine a start took 24 s
 * from the executable jar, 13 s extracted and 6 s with the archive (docs/benchmarks.md, Startup). The archive is
 * written once, by a training start that exits as soon as its context is up, and kept beside the jar for as long as
 * the jar does not change. Anything that fails here falls back to the executable jar: slower, never wrong. The
 * README's command and the benchmarks keep the executable jar, which is what users run.
 */
final class FastPlatformLaunch {

    private static List<String> launch;

    private FastPlatformLaunch() {
    }

    /** The JVM options and {@code -jar …} that start the platform of {@code executableJar}. */
    static synchronized List<String> jarOptions(Path executableJar, String java) {
        if (launch == null) {
            launch = prepare(executableJar, java);
        }
        return launch;
    }

    private static List<String> prepare(Path executableJar, String java) {
        Path folder = executableJar.resolveSibling("mesh-platform-extracted");
        Path thinJar = folder.resolve(executableJar.getFileName());
        Path archive = folder.resolve("mesh-platform.jsa");
        Path stamp = folder.resolve("extracted-from");
        // Another test JVM may prepare the same folder at the same time (a second Maven run on this checkout).
        try (FileChannel lockFile = FileChannel.open(executableJar.resolveSibling("mesh-platform-extracted.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
            String source = Files.size(executableJar) + " " + Files.getLastModifiedTime(executableJar).toMillis();
            if (!Files.exists(stamp) || !Files.readString(stamp).equals(source) || !Files.exists(archive)) {
                Files.deleteIfExists(stamp);
                Files.deleteIfExists(archive);
                run(List.of(java, "-Djarmode=tools", "-jar", executableJar.toString(), "extract", "--destination",
                        folder.toString(), "--force"), folder.resolveSibling("mesh-platform-extract.log"), null);
                Path training = Files.createTempDirectory("mesh-platform-training");
                long started = System.nanoTime();
                List<String> trainer = new ArrayList<>(List.of(java, "-Xmx1g", "-XX:TieredStopAtLevel=1",
                        "-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh",
                        "-jar", thinJar.toString(), "--server.port=0"));
                trainer.addAll(PlatformProcess.withFreePorts(List.of()));
                try {
                    run(trainer, folder.resolveSibling("mesh-platform-training.log"), training.toFile());
                } finally {
                    delete(training);
                }
                if (!Files.exists(archive)) {
                    throw new IOException("the training start wrote no class archive");
                }
                Files.writeString(stamp, source);
                System.out.printf("Test platforms start from %s with a class archive (trained in %d s)%n",
                        thinJar, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
            }
            return List.of("-XX:SharedArchiveFile=" + archive, "-jar", thinJar.toString());
        } catch (IOException | RuntimeException e) {
            System.out.println("Test platforms start from the executable jar: " + e.getMessage());
            return List.of("-jar", executableJar.toString());
        }
    }

    private static void delete(Path folder) throws IOException {
        try (var paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void run(List<String> command, Path log, File directory) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        if (directory != null) {
            builder.directory(directory);
        }
        Process process = builder.start();
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(command.get(1) + "… did not end within 5 minutes; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command.subList(0, 3)) + "… exited with "
                    + process.exitValue() + "; see " + log);
        }
    }
}
