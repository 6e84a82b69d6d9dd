package dev.meshplatform.ingestion.landing;

/** This writer's epoch is no longer the table's: another instance took the job over. Nothing may be committed. */
final class FencedException extends RuntimeException {

    FencedException(String message) {
        super(message);
    }
}
