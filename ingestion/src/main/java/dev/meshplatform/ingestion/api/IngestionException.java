package dev.meshplatform.ingestion.api;

import dev.meshplatform.registry.api.MeshException;

import java.util.List;

/** A request ingestion refuses or cannot serve now. */
public class IngestionException extends MeshException {

    public IngestionException(Reason reason, String code, String message) {
        super(reason, code, message);
    }

    public IngestionException(Reason reason, String code, String message, Throwable cause) {
        super(reason, code, message, List.of(), cause);
    }
}
