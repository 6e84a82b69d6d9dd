package dev.meshplatform.processing.runs;

import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import scala.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a domain's SQL may contain, read from docs/sql-sandbox.md (packed into this module as a resource): the page
 * that documents the allowlist is the allowlist, so the two cannot drift apart. Every {@code ### Allowed — …} or
 * {@code ### Refused — …} heading is a family; its {@code Names:} lines list its members in backticks.
 */
final class SqlAllowlist {

    static final String RESOURCE = "sql-sandbox.md";
    private static final String CATALYST = "org.apache.spark.sql.catalyst.";
    private static final Pattern NAME = Pattern.compile("`([^`]+)`");

    /** One heading of the page: a family of functions or node classes, allowed or refused, and why. */
    public record Family(String section, boolean allowed, String title, String why, List<String> names) {
    }

    private static volatile SqlAllowlist loaded;

    private final List<Family> families;
    private final Map<String, Family> functions = new HashMap<>();
    private final Map<String, Family> tableFunctions = new HashMap<>();
    private final Set<String> hints = new HashSet<>();
    private final Set<Class<?>> planNodes = new HashSet<>();
    private final Set<Class<?>> expressionNodes = new HashSet<>();
    private final Set<Class<?>> resolvedPlanNodes = new HashSet<>();
    private final Set<Class<?>> resolvedExpressions = new HashSet<>();

    private SqlAllowlist(List<Family> families) {
        this.families = List.copyOf(families);
        for (Family family : families) {
            switch (family.section()) {
                case "Functions" -> family.names().forEach(n -> functions.put(n.toLowerCase(Locale.ROOT), family));
                case "Table functions" ->
                        family.names().forEach(n -> tableFunctions.put(n.toLowerCase(Locale.ROOT), family));
                case "Hints" -> {
                    if (family.allowed()) {
                        family.names().forEach(n -> hints.add(n.toLowerCase(Locale.ROOT)));
                    }
                }
                case "Plan nodes" -> classes(family, planNodes);
                case "Expression nodes" -> classes(family, expressionNodes);
                case "After analysis" -> classes(family, family.title().contains("plan node") ? resolvedPlanNodes
                        : resolvedExpressions);
                default -> {
                    // Other sections (the appendix of refused classes) only document.
                }
            }
        }
        // An allowed function's own expression class is allowed wherever the function is.
        FunctionRegistry registry = FunctionRegistry.builtin();
        functions.forEach((name, family) -> {
            if (family.allowed()) {
                Class<?> type = functionClass(registry, name);
                if (type != null) {
                    expressionNodes.add(type);
                    resolvedExpressions.add(type);
                }
            }
        });
    }

    /** The allowlist of this build, read once. */
    public static SqlAllowlist get() {
        SqlAllowlist allowlist = loaded;
        if (allowlist == null) {
            synchronized (SqlAllowlist.class) {
                if (loaded == null) {
                    loaded = parse(read());
                }
                allowlist = loaded;
            }
        }
        return allowlist;
    }

    private static String read() {
        try (InputStream in = SqlAllowlist.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the SQL allowlist " + RESOURCE + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SqlAllowlist parse(String page) {
        List<Family> families = new ArrayList<>();
        String section = null;
        String title = null;
        Boolean allowed = null;
        String why = "";
        List<String> names = new ArrayList<>();
        for (String line : (page + "\n## end").split("\n")) {
            boolean heading = line.startsWith("## ") || line.startsWith("### ");
            if (heading && title != null) {
                families.add(new Family(section, allowed, title, why, List.copyOf(names)));
                title = null;
            }
            if (line.startsWith("## ")) {
                section = line.substring(3).trim();
            } else if (line.startsWith("### Allowed — ") || line.startsWith("### Refused — ")) {
                allowed = line.startsWith("### Allowed");
                title = line.substring("### Allowed — ".length()).trim();
                why = "";
                names = new ArrayList<>();
            } else if (line.startsWith("### ")) {
                title = null;
            } else if (title != null && line.startsWith("Why: ")) {
                why = line.substring(5).trim();
            } else if (title != null && line.startsWith("Names: ")) {
                Matcher m = NAME.matcher(line);
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return new SqlAllowlist(families);
    }

    private static void classes(Family family, Set<Class<?>> into) {
        if (!family.allowed()) {
            return;
        }
        for (String name : family.names()) {
            into.add(load(qualified(name)));
        }
    }

    /** A class name as the page writes it: relative to Spark's catalyst package unless it starts with {@code org.}. */
    static String qualified(String name) {
        return name.startsWith("org.") ? name : CATALYST + name;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, SqlAllowlist.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the SQL allowlist names " + name + ", which this Spark does not have", e);
        }
    }

    private static Class<?> functionClass(FunctionRegistry registry, String name) {
        Option<ExpressionInfo> info = registry.lookupFunction(FunctionIdentifier.apply(name));
        if (info.isEmpty() || info.get().getClassName() == null) {
            return null;
        }
        try {
            Class<?> type = Class.forName(info.get().getClassName(), false, SqlAllowlist.class.getClassLoader());
            return Expression.class.isAssignableFrom(type) ? type : null;
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    public List<Family> families() {
        return families;
    }

    /** The family a built-in function is classified in, or null when the page does not name it. */
    public Family functionFamily(String name) {
        return functions.get(name.toLowerCase(Locale.ROOT));
    }

    public Family tableFunctionFamily(String name) {
        return tableFunctions.get(name.toLowerCase(Locale.ROOT));
    }

    public boolean functionAllowed(String name) {
        Family family = functionFamily(name);
        return family != null && family.allowed();
    }

    public boolean tableFunctionAllowed(String name) {
        Family family = tableFunctionFamily(name);
        return family != null && family.allowed();
    }

    public boolean hintAllowed(String name) {
        return hints.contains(name.toLowerCase(Locale.ROOT));
    }

    public boolean planNodeAllowed(Class<?> type) {
        return planNodes.contains(type);
    }

    public boolean expressionAllowed(Class<?> type) {
        return expressionNodes.contains(type);
    }

    public boolean resolvedPlanNodeAllowed(Class<?> type) {
        return resolvedPlanNodes.contains(type);
    }

    public boolean resolvedExpressionAllowed(Class<?> type) {
        return resolvedExpressions.contains(type);
    }

    /** Every node class allowed in a parsed query: what the field-by-field walk must know completely. */
    public Set<Class<?>> parsedNodeClasses() {
        Set<Class<?>> all = new HashSet<>(planNodes);
        all.addAll(expressionNodes);
        return all;
    }

    /** The families of one section of the page, in page order. */
    public Map<String, Family> section(String section) {
        Map<String, Family> found = new LinkedHashMap<>();
        families.stream().filter(f -> f.section().equals(section)).forEach(f -> found.put(f.title(), f));
        return found;
    }
}
