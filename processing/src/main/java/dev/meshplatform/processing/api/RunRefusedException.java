package dev.meshplatform.processing.api;

import dev.meshplatform.registry.api.MeshException;

import java.util.List;

/**
 * A run refused before it read anything, for a reason its domain team can act on (its SQL, its access to an input):
 * an expected outcome, not an error of the platform's.
 */
public class RunRefusedException extends MeshException {

    public RunRefusedException(String message) {
        this("run-refused", message);
    }

    protected RunRefusedException(String code, String message) {
        super(Reason.INVALID, code, message, List.of(), null);
    }
}
