package dev.meshplatform.processing.api;

import dev.meshplatform.registry.api.MeshException;

/** A request processing refuses. */
public class ProcessingException extends MeshException {

    public ProcessingException(Reason reason, String code, String message) {
        super(reason, code, message);
    }
}
