package dev.meshplatform.governance.api;

import dev.meshplatform.registry.api.MeshException;

import java.util.List;

/** A request governance refuses. */
public class GovernanceException extends MeshException {

    public GovernanceException(Reason reason, String code, String message) {
        super(reason, code, message);
    }

    public GovernanceException(Reason reason, String code, String message, List<String> details) {
        super(reason, code, message, details, null);
    }
}
