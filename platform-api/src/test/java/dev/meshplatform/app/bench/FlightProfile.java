package dev.meshplatform.app.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a flight recording's CPU samples fell: the share of samples per code area (the first frame of a known
 * library or of the platform, from the top of the stack), the hottest methods at the top of the stack, and the
 * platform's own methods by the samples they or their callees hold (which step of a request costs what).
 */
final class FlightProfile {

    /** Code areas by package prefix, most specific first; the first matching frame from the top names the area. */
    private static final List<String[]> AREAS = List.of(
            new String[]{"dev.meshplatform.", "platform code"},
            new String[]{"org.apache.iceberg.", "Iceberg"},
            new String[]{"org.apache.parquet.", "Parquet"},
            new String[]{"software.amazon.", "AWS SDK (S3 client)"},
            new String[]{"org.h2.", "H2 database"},
            new String[]{"org.postgresql.", "PostgreSQL driver"},
            new String[]{"org.hibernate.", "Hibernate"},
            new String[]{"dev.cel.", "CEL"},
            new String[]{"com.google.", "CEL and Guava"},
            new String[]{"tools.jackson.", "Jackson"},
            new String[]{"com.fasterxml.", "Jackson"},
            new String[]{"org.apache.catalina.", "Tomcat"},
            new String[]{"org.apache.coyote.", "Tomcat"},
            new String[]{"org.apache.tomcat.", "Tomcat"},
            new String[]{"org.springframework.security.", "Spring Security"},
            new String[]{"org.springframework.", "Spring"},
            new String[]{"com.zaxxer.", "connection pool"},
            new String[]{"org.apache.kafka.", "Kafka"},
            new String[]{"io.micrometer.", "metrics"},
            new String[]{"ch.qos.logback.", "logging"},
            new String[]{"org.gaul.", "embedded S3 server"},
            new String[]{"org.jclouds.", "embedded S3 server"},
            new String[]{"org.eclipse.jetty.", "embedded S3 server"},
            new String[]{"kafka.", "Kafka"},
            new String[]{"com.github.luben.", "zstd"});

    private FlightProfile() {
    }

    static void print(Path recording) throws IOException {
        Map<String, Integer> areas = new HashMap<>();
        Map<String, Integer> methods = new HashMap<>();
        Map<String, Integer> platformSteps = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            RecordedFrame top = frames.get(0);
            methods.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1, Integer::sum);
            areas.merge(area(frames), 1, Integer::sum);
            threads.merge(threadKind(event), 1, Integer::sum);
            // Inclusive: every platform method on the stack holds the sample, once however deep it recurses.
            frames.stream().filter(f -> f.getMethod().getType().getName().startsWith("dev.meshplatform."))
                    .map(f -> f.getMethod().getType().getName().substring("dev.meshplatform.".length()) + "."
                            + f.getMethod().getName())
                    .distinct().forEach(step -> platformSteps.merge(step, 1, Integer::sum));
        }
        System.out.printf("[bench] profile: %,d CPU samples of the platform during the measured work (%s)%n",
                samples, recording);
        print("thread (names without their numbers and product keys)", threads, samples, 12);
        print("code area (first known frame from the top of the stack)", areas, samples, 20);
        print("method at the top of the stack", methods, samples, 20);
        print("platform method on the stack (inclusive: it or what it calls)", platformSteps, samples, 25);
    }

    /** A thread's kind: its name up to its first digit or its job's key, so that pools and jobs add up. */
    private static String threadKind(RecordedEvent event) {
        RecordedThread thread = event.getThread("sampledThread");
        String name = thread == null || thread.getJavaName() == null ? "unknown" : thread.getJavaName();
        int cut = name.length();
        for (int i = 0; i < name.length(); i++) {
            if (Character.isDigit(name.charAt(i)) || name.charAt(i) == '/') {
                cut = i;
                break;
            }
        }
        return name.substring(0, cut).replaceAll("[-_.#\\s]+$", "");
    }

    private static String area(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            for (String[] area : AREAS) {
                if (type.startsWith(area[0])) {
                    return area[1];
                }
            }
        }
        return "JDK and other";
    }

    private static void print(String what, Map<String, Integer> counts, int samples, int limit) {
        System.out.println("[bench] profile by " + what + ":");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .forEach(e -> System.out.printf("[bench]   %5.1f %%  %s%n", 100.0 * e.getValue() / samples,
                        e.getKey()));
    }
}
