package dev.meshplatform.app.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A closed-loop HTTP load: {@code connections} clients, each on a connection of its own, send the same GET one after
 * another for a fixed time, after a warm-up that is not counted. Prints requests per second and latency percentiles,
 * as wrk does, from the Java HTTP client.
 */
final class HttpLoad {

    /** One measured load. */
    record Result(String name, int connections, long requests, long failures, double seconds, long[] sortedNanos,
                  Duration serverCpu, Duration clientCpu) {

        double perSecond() {
            return requests / seconds;
        }

        double millisAt(double percentile) {
            if (sortedNanos.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(percentile / 100 * sortedNanos.length) - 1);
            return sortedNanos[Math.max(0, index)] / 1e6;
        }

        String line() {
            return String.format("%s, %d connections: %,.0f requests/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms "
                            + "(%,d requests in %.1f s, %d failed; CPU per request: platform %.2f ms, client %.2f ms)",
                    name, connections, perSecond(), millisAt(50), millisAt(99), millisAt(100), requests, seconds,
                    failures, perRequest(serverCpu), perRequest(clientCpu));
        }

        private double perRequest(Duration cpu) {
            return requests == 0 ? Double.NaN : cpu.toNanos() / 1e6 / requests;
        }
    }

    private HttpLoad() {
    }

    /**
     * Loads {@code uri} with GETs carrying {@code key} as a bearer token. A request answered other than 200 counts as
     * failed; its latency is not counted. The CPU time {@code platform} and this JVM spent while measuring is
     * reported per request: on a machine whose client and server share the cores, it is the figure that moves least
     * with the machine's other load.
     */
    static Result run(String name, URI uri, String key, int connections, Duration warmUp, Duration measured,
                      ProcessHandle platform) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key)
                .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).GET().build();
        ExecutorService clients = Executors.newFixedThreadPool(connections);
        try {
            long warmUpEnds = System.nanoTime() + warmUp.toNanos();
            long ends = warmUpEnds + measured.toNanos();
            List<Future<long[]>> latencies = new ArrayList<>();
            long[] failures = new long[connections];
            for (int c = 0; c < connections; c++) {
                int client = c;
                latencies.add(clients.submit(() -> {
                    // One client per connection: the JDK's client would otherwise share its pool between them.
                    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    long[] nanos = new long[1 << 14];
                    int count = 0;
                    for (long now = System.nanoTime(); now < ends; now = System.nanoTime()) {
                        int status = send(http, request);
                        long took = System.nanoTime() - now;
                        if (now < warmUpEnds) {
                            continue;
                        }
                        if (status != 200) {
                            failures[client]++;
                            continue;
                        }
                        if (count == nanos.length) {
                            nanos = Arrays.copyOf(nanos, count * 2);
                        }
                        nanos[count++] = took;
                    }
                    return Arrays.copyOf(nanos, count);
                }));
            }
            // Timing a measurement, not waiting for a condition: the clients run until their own deadline.
            Thread.sleep(Math.max(0, (warmUpEnds - System.nanoTime()) / 1_000_000));
            Duration serverFrom = cpu(platform);
            long clientFrom = CLIENT_CPU.getProcessCpuTime();
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> future : latencies) {
                all.add(future.get());
            }
            Duration serverCpu = cpu(platform).minus(serverFrom);
            Duration clientCpu = Duration.ofNanos(CLIENT_CPU.getProcessCpuTime() - clientFrom);
            long[] sorted = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            return new Result(name, connections, sorted.length, Arrays.stream(failures).sum(),
                    measured.toNanos() / 1e9, sorted, serverCpu, clientCpu);
        } finally {
            clients.shutdownNow();
        }
    }

    private static final com.sun.management.OperatingSystemMXBean CLIENT_CPU =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private static Duration cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException(
                "this system does not report the CPU time of process " + process.pid()));
    }

    private static int send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
    }
}
