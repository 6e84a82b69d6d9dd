package dev.meshplatform.app;

import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.PlatformProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's two commands and its walk-through as a newcomer pastes them: the built jar starts with no
 * configuration and no JVM flags (its manifest opens what Spark needs), the walk-through's one shell block runs,
 * unchanged, against it, and its output shows what the README promises at each step. The log holds no secret and
 * no stack trace.
 */
class ReadmeWalkthroughIT {

    private static final Path README = Path.of("..", "README.md");
    /** The whole walk-through, the first run's JVM included, on a busy 2-core machine. */
    private static final Duration WALKTHROUGH = Duration.ofMinutes(10);

    @TempDir
    Path workDir;

    @Test
    void theWalkthroughDoesWhatTheReadmeSays() throws Exception {
        Path script = workDir.resolve("walkthrough.sh");
        Files.writeString(script, walkthrough(Files.readString(README)));
        Path transcript = workDir.resolve("walkthrough.out");
        long launched = System.nanoTime();
        try (PlatformProcess platform = PlatformProcess.asInTheReadme(workDir)
                .start(PlatformProcess.BUSY_MACHINE_START)) {
            System.out.printf("The packaged platform answered UP %d ms after launch%n",
                    (System.nanoTime() - launched) / 1_000_000);
            try {
                int exit = run(script, transcript, platform.baseUrl() + "/api/v1");
                assertThat(exit).as("the walk-through's exit status").isZero();
                assertPromises(Files.readString(transcript));
                // The run command needs no configuration; its data and its admin key stay in the work folder.
                String admin = Files.readString(workDir.resolve("data/bootstrap-admin-key")).trim();
                assertThat(platform.api().get("/api/v1/me", admin).json().path("role").asString())
                        .isEqualTo("PLATFORM_ADMIN");
                assertThat(platform.log()).as("the platform's log").doesNotContain(admin)
                        .doesNotContain("Exception");
            } catch (AssertionError | RuntimeException failure) {
                System.out.println("--- walk-through output ---\n" + Files.readString(transcript));
                System.out.println("--- platform log, last lines ---\n" + platform.logTail(80));
                throw failure;
            }
        }
    }

    private static void assertPromises(String output) {
        List<JsonNode> answers = output.lines().filter(line -> line.startsWith("{")).map(Api.JSON::readTree).toList();

        JsonNode events = only(answers, "the answer to the events", a -> a.has("accepted"));
        assertThat(events.path("accepted").asInt()).isEqualTo(2);
        assertThat(events.path("rejected").path(0).path("index").asInt()).isEqualTo(1);

        JsonNode run = only(answers, "the run", a -> a.path("trigger").asString().equals("API"));
        assertThat(run.path("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.path("rowsWritten").asLong()).isEqualTo(2);

        JsonNode refused = only(answers, "the refused read", a -> problemStatus(a) == 403);
        assertThat(refused.path("code").asString()).isEqualTo("access-denied");
        assertThat(refused.path("instance").asString()).endsWith("/products/customers/data");

        JsonNode consumerRead = only(answers, "the consumer's read", a -> a.has("rows"));
        assertThat(consumerRead.path("rows")).isEqualTo(Api.JSON.readTree("[{\"country\":\"NL\",\"people\":1}]"));
        assertThat(output.lines()).as("the owners' CSV read: every row").contains("NL,1", "FI,1");

        List<JsonNode> badRequests = answers.stream().filter(a -> problemStatus(a) == 400).toList();
        assertThat(badRequests).as("the refused SQL and the bad input").hasSize(2);
        JsonNode reflect = badRequests.get(0);
        assertThat(reflect.path("code").asString()).isEqualTo("validation-failed");
        assertThat(reflect.path("errors").path(0).path("field").asString()).isEqualTo("transformation.sql");
        assertThat(reflect.path("errors").path(0).path("message").asString()).contains("'reflect'", "line 1");
        JsonNode badInput = badRequests.get(1);
        assertThat(badInput.path("code").asString()).isEqualTo("validation-failed");
        assertThat(badInput.path("errors").path(0).path("field").asString()).isEqualTo("schema[0].type");
    }

    /** The status of a problem answer; 0 for other answers (the health answer's {@code status} is "UP"). */
    private static int problemStatus(JsonNode answer) {
        return answer.has("code") && answer.path("status").isIntegralNumber() ? answer.path("status").intValue() : 0;
    }

    private static JsonNode only(List<JsonNode> answers, String what, Predicate<JsonNode> which) {
        List<JsonNode> matching = answers.stream().filter(which).toList();
        assertThat(matching).as(what).hasSize(1);
        return matching.get(0);
    }

    /** The one bash block of the README's {@code ## Walk-through} section. */
    static String walkthrough(String readme) {
        int section = readme.indexOf("\n## Walk-through\n");
        assertThat(section).as("the README's Walk-through section").isNotNegative();
        int next = readme.indexOf("\n## ", section + 1);
        String text = readme.substring(section, next < 0 ? readme.length() : next);
        String open = "```bash\n";
        int start = text.indexOf(open);
        assertThat(start).as("a bash block in the Walk-through").isNotNegative();
        assertThat(text.indexOf(open, start + 1)).as("a second bash block in the Walk-through").isNegative();
        int end = text.indexOf("\n```", start + open.length());
        return text.substring(start + open.length(), end + 1);
    }

    /**
     * Runs the script as bash does with {@code -euo pipefail}, so that a failing step or an unset variable stops it
     * there; returns its exit status.
     */
    private int run(Path script, Path transcript, String base) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", script.toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(transcript.toFile());
        builder.environment().put("BASE", base);
        Process shell = builder.start();
        try {
            if (!shell.waitFor(WALKTHROUGH.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the walk-through did not end within " + WALKTHROUGH);
            }
            return shell.exitValue();
        } finally {
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly();
        }
    }
}
