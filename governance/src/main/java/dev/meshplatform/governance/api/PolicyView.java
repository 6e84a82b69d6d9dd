package dev.meshplatform.governance.api;

import java.time.Instant;

/**
 * A stored policy at one revision.
 *
 * @param revision 1 for a new policy, +1 per change; the ETag of the policy
 * @param shipped  whether the platform installed it (a default); admins may change or disable it all the same
 * @param deleted  true only in a policy's history, for the revision that removed it
 */
public record PolicyView(String id, long revision, PolicySpec spec, boolean shipped, boolean deleted,
                         String changedBy, Instant changedAt) {
}
