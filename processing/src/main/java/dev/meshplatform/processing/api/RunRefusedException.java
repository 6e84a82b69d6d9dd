package dev.meshplatform.processing.api;

/**
 * A run refused before it read anything, for a reason its domain team can act on (its SQL, its access to an input):
 * an expected outcome, not an error of the platform's.
 */
public class RunRefusedException extends RuntimeException {

    public RunRefusedException(String message) {
        super(message);
    }
}
