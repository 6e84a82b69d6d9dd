package dev.meshplatform.app.web;

import dev.meshplatform.registry.api.RegistryException;

/** Strong ETags from revisions, and If-Match read back into the revision it names. */
public final class ETags {

    private ETags() {
    }

    public static String of(long revision) {
        return "\"" + revision + "\"";
    }

    /** The revision an If-Match header asks for; null when absent or {@code *} (any current revision). */
    public static Long expectedRevision(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        String value = ifMatch.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new RegistryException(RegistryException.Reason.PRECONDITION_FAILED, "precondition-failed",
                    "If-Match " + ifMatch + " names no revision of this resource; use the ETag of a GET");
        }
    }
}
