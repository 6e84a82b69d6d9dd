package dev.meshplatform.app.infrastructure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a taken embedded port into Spring Boot's "APPLICATION FAILED TO START" report: what, and what to do. */
class EmbeddedPortFailureAnalyzer extends AbstractFailureAnalyzer<EmbeddedPorts.PortTakenException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, EmbeddedPorts.PortTakenException cause) {
        return new FailureAnalysis(cause.getMessage() + ".",
                "Stop the program that listens on port " + cause.port() + ", or start the platform with "
                        + "--" + cause.key() + "=<another port> (0 picks a free port at every start, so clients "
                        + "must then look the " + cause.server() + " up in GET /api/v1/domains/{domain}/connections "
                        + "or GET /api/v1/warehouse).", cause);
    }
}
