package dev.meshplatform.registry.api;

import java.util.regex.Pattern;

/** The naming rules of DESIGN.md that every module relies on. */
public final class Names {

    /** Lower-kebab, 2 to 63 characters, starting with a letter, no trailing or double dash. */
    public static final String NAME_REGEX = "^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){1,62}$";

    private static final Pattern NAME = Pattern.compile(NAME_REGEX);

    private Names() {
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The Kafka topic of a product's major version: {@code <domain>.<product>.v<major>}. */
    public static String topic(String domain, String product, int major) {
        return domain + "." + product + ".v" + major;
    }

    /** The Spark SQL view of an input product: {@code <domain>__<product>_v<major>}, dashes as underscores. */
    public static String inputView(String domain, String product, int major) {
        return (domain + "__" + product + "_v" + major).replace('-', '_');
    }
}
