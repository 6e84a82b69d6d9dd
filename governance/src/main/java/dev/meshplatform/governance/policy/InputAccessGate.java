package dev.meshplatform.governance.policy;

import dev.meshplatform.governance.api.GrantView;
import dev.meshplatform.registry.api.GuardVerdict;
import dev.meshplatform.registry.api.ProductDescriptor;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A product may read another domain's product only with a grant: its runs read input ports directly, past the
 * governed serving path, so the publish gate checks the grant, and so does every run when it starts
 * ({@link AccessService#decideRunInputs}); the grant must be for the purpose the input port names. Built in rather than a CEL policy: it needs the grants, which policies
 * do not see.
 */
final class InputAccessGate {

    public static final String RULE = "input-access";

    private final AccessStore store;
    private final Clock clock;

    public InputAccessGate(JdbcTemplate jdbc, Clock clock) {
        this.store = new AccessStore(jdbc);
        this.clock = clock;
    }

    /** One input product of another domain, with the reading domain's active grant on it if it holds one. */
    public record ForeignInput(String domain, String product, Optional<GrantView> grant) {

        public String name() {
            return domain + "/" + product;
        }
    }

    /** The inputs of {@code domain}'s product that other domains own, each with the grant that covers it now. */
    List<ForeignInput> foreignInputs(String domain, ProductDescriptor descriptor) {
        Instant now = clock.instant();
        return descriptor.productInputs().stream()
                .filter(i -> i.domain() != null && !i.domain().equals(domain))
                .map(i -> new ForeignInput(i.domain(), i.product(),
                        store.activeGrants(i.domain(), i.product(), domain, now).stream()
                                .filter(g -> i.purpose() == null || i.purpose().equals(g.purpose())).findFirst()))
                .toList();
    }

    /** The verdict on a product's inputs from other domains; empty when it has none. */
    public Optional<GuardVerdict> verdict(String domain, ProductDescriptor descriptor) {
        List<ForeignInput> foreign = foreignInputs(domain, descriptor);
        if (foreign.isEmpty()) {
            return Optional.empty();
        }
        List<String> ungranted = foreign.stream().filter(i -> i.grant().isEmpty()).map(ForeignInput::name).toList();
        return Optional.of(ungranted.isEmpty()
                ? new GuardVerdict(RULE, true, true, "domain " + domain + " holds a grant on every input product of "
                + "another domain")
                : new GuardVerdict(RULE, true, false, "domain " + domain + " has no active grant on input product(s) "
                + ungranted + "; request access to them first"));
    }
}
