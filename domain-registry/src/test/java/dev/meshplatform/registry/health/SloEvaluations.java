package dev.meshplatform.registry.health;

import org.springframework.context.ApplicationContext;

import java.time.Instant;

/** Lets the registry's contract tests run an evaluation pass at a time of their choosing. */
public final class SloEvaluations {

    private SloEvaluations() {
    }

    public static void evaluateAll(ApplicationContext context, Instant now) {
        context.getBean(SloEvaluator.class).evaluateAll(now);
    }
}
