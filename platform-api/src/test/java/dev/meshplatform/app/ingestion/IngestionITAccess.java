package dev.meshplatform.app.ingestion;

import tools.jackson.databind.node.ObjectNode;

/** The ingestion tests' product and events, for tests in other packages. */
public final class IngestionITAccess {

    private IngestionITAccess() {
    }

    public static ObjectNode peopleDescriptor(int partitions) {
        return IngestionIT.peopleDescriptor(partitions);
    }

    public static String event(long id) {
        return IngestionIT.event(id);
    }
}
