package dev.meshplatform.processing.runs;

import org.apache.iceberg.PartitionSpec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The descriptor's partition transforms (validated by the registry) applied to an Iceberg spec. */
final class Partitioning {

    private static final Pattern TIME = Pattern.compile("^\\s*(year|month|day|hour)\\(\\s*([^)\\s]+)\\s*\\)\\s*$");
    private static final Pattern WIDTH = Pattern.compile("^\\s*(bucket|truncate)\\(\\s*(\\d+)\\s*,\\s*([^)\\s]+)\\s*\\)\\s*$");

    private Partitioning() {
    }

    static void apply(PartitionSpec.Builder spec, String transform) {
        Matcher time = TIME.matcher(transform);
        Matcher width = WIDTH.matcher(transform);
        if (time.matches()) {
            switch (time.group(1)) {
                case "year" -> spec.year(time.group(2));
                case "month" -> spec.month(time.group(2));
                case "day" -> spec.day(time.group(2));
                default -> spec.hour(time.group(2));
            }
        } else if (width.matches()) {
            int n = Integer.parseInt(width.group(2));
            if (width.group(1).equals("bucket")) {
                spec.bucket(width.group(3), n);
            } else {
                spec.truncate(width.group(3), n);
            }
        } else {
            spec.identity(transform.trim());
        }
    }
}
