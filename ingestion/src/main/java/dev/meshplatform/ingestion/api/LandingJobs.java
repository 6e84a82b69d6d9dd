package dev.meshplatform.ingestion.api;

import java.util.List;
import java.util.Optional;

/** The landing jobs that move each product major's events from Kafka into its raw Iceberg table. */
public interface LandingJobs {

    /** Sets the job's desired state to RUNNING; some instance of the platform picks it up within seconds. */
    LandingStatus start(String domain, String product, int major);

    /** Sets the job's desired state to STOPPED; its owner commits what it holds and stops. */
    LandingStatus stop(String domain, String product, int major);

    Optional<LandingStatus> status(String domain, String product, int major);

    List<LandingStatus> statuses(String domain, String product);
}
