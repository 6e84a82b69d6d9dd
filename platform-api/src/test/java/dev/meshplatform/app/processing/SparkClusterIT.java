package dev.meshplatform.app.processing;

import dev.meshplatform.app.ingestion.IngestionITAccess;
import dev.meshplatform.app.testsupport.DescriptorJson;
import dev.meshplatform.app.testsupport.Api;
import dev.meshplatform.app.testsupport.PlatformProcess;
import dev.meshplatform.app.testsupport.ProcessTestBase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cluster runner: a real Spark standalone master and one worker (1 core), started from the Maven jars on
 * localhost, and a platform process whose runs go to that cluster ({@code mesh.processing.spark-master=spark://…}).
 */
class SparkClusterIT extends ProcessTestBase {

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A SPARK_HOME whose jars/ holds the test classpath's jars, as a Spark distribution would hold Spark's. */
    private static Path sparkHome(Path dir) throws IOException {
        Path jars = Files.createDirectories(dir.resolve("jars"));
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
                Path link = jars.resolve(path.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, path.toAbsolutePath());
                }
            }
        }
        // Spark's metrics servlet needs the interface Servlet 6 dropped (see processing's SingleThreadModel).
        try (OutputStream out = Files.newOutputStream(jars.resolve("mesh-servlet-shim.jar"));
             JarOutputStream jar = new JarOutputStream(out);
             InputStream shim = SparkClusterIT.class.getResourceAsStream("/jakarta/servlet/SingleThreadModel.class")) {
            jar.putNextEntry(new JarEntry("jakarta/servlet/SingleThreadModel.class"));
            shim.transferTo(jar);
            jar.closeEntry();
        }
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("logback.xml"), """
                <configuration>
                  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d %level %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="org.apache.spark.deploy" level="INFO"/>
                  <root level="WARN"><appender-ref ref="out"/></root>
                </configuration>
                """);
        return dir;
    }

    private static List<String> jvmFlags(Path home) {
        List<String> flags = new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect")
                        || a.startsWith("-Dio.netty")).toList());
        flags.add("-Dlogback.configurationFile=" + home.resolve("conf/logback.xml"));
        // The master, the worker and the executors live for one small run: the client compiler starts them cheaper.
        flags.add("-XX:TieredStopAtLevel=1");
        return flags;
    }

    private static Process start(Path home, Path log, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx512m");
        command.addAll(jvmFlags(home));
        command.add("-cp");
        command.add(home.resolve("jars") + "/*");
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("SPARK_HOME", home.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        return builder.start();
    }

    @Test
    void runsGoToAStandaloneCluster() throws Exception {
        Path dir = parts.dir().resolve("spark-cluster");
        Path home = sparkHome(dir);
        int masterPort = freePort();
        String master = "spark://127.0.0.1:" + masterPort;
        Path masterLog = dir.resolve("master.log");
        Path workerLog = dir.resolve("worker.log");
        Path data = dir.resolve("platform");
        List<String> args = new ArrayList<>(arguments(data));
        args.add("--mesh.processing.spark-master=" + master);
        args.add("--mesh.processing.spark-conf.[spark.driver.host]=127.0.0.1");
        args.add("--mesh.processing.spark-conf.[spark.driver.bindAddress]=127.0.0.1");
        args.add("--mesh.processing.spark-conf.[spark.executor.memory]=512m");
        args.add("--mesh.processing.spark-conf.[spark.cores.max]=1");
        args.add("--mesh.processing.spark-conf.[spark.executor.extraJavaOptions]="
                + String.join(" ", jvmFlags(home)));
        // The platform needs the cluster only for its first run: it starts while the master and the worker do.
        PlatformProcess platform = new PlatformProcess("cluster-platform", data, args).launch();
        Process masterProcess = null;
        Process workerProcess = null;
        try {
            masterProcess = start(home, masterLog, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(freePort()));
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(masterLog).contains("elected leader"));
            workerProcess = start(home, workerLog, "org.apache.spark.deploy.worker.Worker", master, "--host",
                    "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", String.valueOf(freePort()));
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(workerLog)
                    .contains("Successfully registered with master"));
            platform.awaitUp(PlatformProcess.BUSY_MACHINE_START);
            Api api = platform.api();

            String domain = "cluster-" + UUID.randomUUID().toString().substring(0, 6);
            assertThat(api.post("/api/v1/domains", ADMIN, Map.of("name", domain, "title", "t", "ownerTeam", "t"))
                    .status()).isEqualTo(201);
            ObjectNode descriptor = Api.JSON.createObjectNode().put("title", "People over 30 by country");
            descriptor.putArray("inputPorts").addObject().put("name", "events").put("type", "kafka")
                    .put("partitions", 1).set("schema", IngestionITAccess.peopleDescriptor(1).path("schema"));
            ArrayNode schema = descriptor.putArray("schema");
            schema.addObject().put("name", "country").put("type", "string").put("required", true);
            schema.addObject().put("name", "people").put("type", "long").put("required", true);
            descriptor.putObject("transformation")
                    .put("sql", "SELECT country, count(*) AS people FROM raw WHERE age > 30 GROUP BY country");
            String version = "/api/v1/domains/" + domain + "/products/people/versions/1.0.0";
            Api.Response applied = api.put(version, ADMIN, DescriptorJson.governed(descriptor));
            assertThat(applied.status()).as(applied.body()).isEqualTo(201);
            assertThat(api.post(version + "/transitions", ADMIN, Map.of("to", "PUBLISHED")).status()).isEqualTo(200);
            String product = "/api/v1/domains/" + domain + "/products/people";
            StringBuilder batch = new StringBuilder("[");
            for (long id = 1; id <= 20; id++) {
                batch.append(id == 1 ? "" : ",").append(IngestionITAccess.event(id));
            }
            api.post(product + "/events", ADMIN, batch.append(']').toString());
            await().atMost(Duration.ofSeconds(60)).until(() -> api.get(product + "/landing", ADMIN).json().path("items").get(0)
                    .path("recordsLanded").asLong() == 20);

            String run = api.post(product + "/runs", ADMIN, Map.of()).json().path("id").asString();
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                String state = api.get(product + "/runs/" + run, ADMIN).json().path("state").asString();
                return state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED");
            });
            JsonNode record = api.get(product + "/runs/" + run, ADMIN).json();
            assertThat(record.path("state").asString()).as(record.toString()).isEqualTo("SUCCEEDED");
            // ids 1..20, age 20 + id % 50 > 30 for ids 11..20; countries alternate NL (even) and DE (odd).
            assertThat(record.path("rowsWritten").asLong()).isEqualTo(2);
            assertThat(Files.readString(workerLog)).contains("Asked to launch executor");
            // The run's JVM was the cluster's driver; the platform's own JVM ran no Spark for it.
            assertThat(platform.log()).contains("Run " + run + " of " + domain + "/people ran in JVM");
        } finally {
            platform.close();
            if (workerProcess != null) {
                workerProcess.destroyForcibly().waitFor();
            }
            if (masterProcess != null) {
                masterProcess.destroyForcibly().waitFor();
            }
        }
    }
}
