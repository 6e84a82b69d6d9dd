package dev.meshplatform.registry.api;

import org.springframework.scheduling.support.CronExpression;

/**
 * A schedule in the 5-field Unix cron form that users write ({@code minute hour day-of-month month day-of-week}).
 * Spring's {@link CronExpression} wants a leading seconds field; this is the one place that converts.
 */
public final class CronSchedule {

    private CronSchedule() {
    }

    /** The Spring form of a 5-field expression, with seconds fixed at 0. */
    public static String toSpring(String unixCron) {
        if (unixCron == null) {
            throw new IllegalArgumentException("a cron schedule is required");
        }
        String[] fields = unixCron.trim().split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("a cron schedule has 5 fields (minute hour day-of-month month day-of-week), got "
                    + fields.length + ": '" + unixCron + "'");
        }
        return "0 " + String.join(" ", fields);
    }

    /** Parses the 5-field form; throws {@link IllegalArgumentException} with the reason when it is not valid. */
    public static CronExpression parse(String unixCron) {
        return CronExpression.parse(toSpring(unixCron));
    }
}
