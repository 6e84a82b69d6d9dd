package dev.meshplatform.registry.api;

/**
 * The order in which the platform's services start and stop (Spring's {@code SmartLifecycle} phases; lower starts
 * earlier and stops later). Both come before the web server's phase ({@code Integer.MAX_VALUE - 2048}), so that the
 * API takes requests only once the services behind it run, and stops taking them before they stop.
 */
public final class LifecyclePhases {

    /** Services that requests reach: the landing coordinator, the run service. */
    public static final int SERVICES = Integer.MAX_VALUE - 4096;

    /** Background loops that use those services (schedules, maintenance): start after them, stop before them. */
    public static final int BACKGROUND = SERVICES + 1024;

    private LifecyclePhases() {
    }
}
