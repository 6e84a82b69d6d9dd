package dev.meshplatform.registry.api;

import java.util.regex.Pattern;

/** The rule for domain and product names; every name derived from them comes from {@link ProductMajor}. */
public final class Names {

    /** Lower-kebab, 2 to 63 characters, starting with a letter, no trailing or double dash. */
    public static final String NAME_REGEX = "^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){1,62}$";

    private static final Pattern NAME = Pattern.compile(NAME_REGEX);

    private Names() {
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
