package dev.meshplatform.processing.runs;

import java.util.concurrent.ThreadFactory;

/** The threads that carry runs: daemons, so they never hold the JVM up, named for operators. */
final class DaemonThreads {

    private DaemonThreads() {
    }

    static ThreadFactory named(String name) {
        return r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
