package dev.meshplatform.registry.catalog;

import dev.meshplatform.registry.api.RegistryException;

/** Checks an If-Match revision against the stored one. */
final class Revisions {

    private Revisions() {
    }

    static void check(Long expected, long actual, String what) {
        if (expected != null && expected != actual) {
            throw new RegistryException(RegistryException.Reason.PRECONDITION_FAILED, "precondition-failed",
                    what + " is at revision " + actual + ", not " + expected + "; read it again and retry");
        }
    }
}
