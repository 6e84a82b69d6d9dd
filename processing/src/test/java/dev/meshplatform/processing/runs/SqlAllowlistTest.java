package dev.meshplatform.processing.runs;

import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry;
import org.apache.spark.sql.catalyst.analysis.TableFunctionRegistry;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The allowlist page against the Spark on the classpath: everything Spark offers is classified (so an upgrade fails
 * here until reviewed), and the walk of the parsed plan visits every field of every allowed class.
 */
class SqlAllowlistTest {

    private static final String CATALYST = "org.apache.spark.sql.catalyst.";
    private static SqlAllowlist allowlist;

    @BeforeAll
    static void load() {
        allowlist = SqlAllowlist.get();
    }

    private static List<String> builtIns(boolean table) {
        var registry = table ? TableFunctionRegistry.builtin() : FunctionRegistry.builtin();
        List<String> names = new ArrayList<>();
        for (FunctionIdentifier id : CollectionConverters.asJava(registry.listFunction())) {
            names.add(id.funcName());
        }
        return names;
    }

    @Test
    void everyBuiltInFunctionIsClassified() {
        List<String> functions = builtIns(false);
        assertThat(functions).hasSizeGreaterThan(400);
        assertThat(functions).filteredOn(name -> allowlist.functionFamily(name) == null)
                .as("built-in functions the allowlist page does not classify").isEmpty();
        List<String> tableFunctions = builtIns(true);
        assertThat(tableFunctions).isNotEmpty();
        assertThat(tableFunctions).filteredOn(name -> allowlist.tableFunctionFamily(name) == null)
                .as("table functions the allowlist page does not classify").isEmpty();
    }

    @Test
    void thePageNamesOnlyFunctionsThisSparkHas() {
        Set<String> known = new HashSet<>(builtIns(false));
        Set<String> knownTable = new HashSet<>(builtIns(true));
        List<String> stale = new ArrayList<>();
        for (SqlAllowlist.Family family : allowlist.families()) {
            Set<String> names = family.section().equals("Functions") ? known
                    : family.section().equals("Table functions") ? knownTable : null;
            if (names != null) {
                family.names().stream().filter(n -> !names.contains(n)).forEach(stale::add);
            }
        }
        assertThat(stale).as("names on the page that are no Spark built-in").isEmpty();
    }

    @Test
    void reflectionAndTheEnvironmentAreRefused() {
        for (String name : List.of("reflect", "java_method", "try_reflect", "input_file_name", "current_user",
                "version", "xpath", "from_protobuf")) {
            assertThat(allowlist.functionAllowed(name)).as(name).isFalse();
        }
        assertThat(allowlist.functionAllowed("upper")).isTrue();
        assertThat(allowlist.tableFunctionAllowed("range")).isTrue();
        assertThat(allowlist.tableFunctionAllowed("python_worker_logs")).isFalse();
    }

    @Test
    void everyPlanNodeClassOfSparkIsClassified() throws IOException {
        Set<String> classified = new HashSet<>();
        for (SqlAllowlist.Family family : allowlist.families()) {
            if (List.of("Plan nodes", "After analysis", "Every other plan node").contains(family.section())) {
                family.names().forEach(n -> classified.add(SqlAllowlist.qualified(n)));
            }
        }
        Set<String> planClasses = planNodeClasses();
        assertThat(planClasses).hasSizeGreaterThan(200);
        assertThat(new TreeSet<>(planClasses)).filteredOn(c -> !classified.contains(c))
                .as("logical plan classes the allowlist page does not classify").isEmpty();
    }

    /** Every concrete logical plan class in Spark's SQL jars and Iceberg's Spark runtime. */
    private static Set<String> planNodeClasses() throws IOException {
        Set<String> found = new HashSet<>();
        for (String jar : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!(jar.contains("spark-catalyst") || jar.contains("spark-sql_") || jar.contains("iceberg-spark-runtime"))
                    || !jar.endsWith(".jar")) {
                continue;
            }
            try (JarFile file = new JarFile(jar)) {
                for (JarEntry entry : Collections.list(file.entries())) {
                    String name = entry.getName();
                    if (!name.endsWith(".class") || !name.startsWith("org/apache/spark/sql/") || name.contains("$$")
                            || name.contains("$anon")) {
                        continue;
                    }
                    String className = name.substring(0, name.length() - 6).replace('/', '.');
                    try {
                        Class<?> type = Class.forName(className, false, SqlAllowlistTest.class.getClassLoader());
                        if (LogicalPlan.class.isAssignableFrom(type) && !type.isInterface()
                                && !Modifier.isAbstract(type.getModifiers())) {
                            found.add(className);
                        }
                    } catch (Throwable unloadable) {
                        // Classes whose optional dependencies are absent cannot be plan nodes of this build.
                    }
                }
            }
        }
        return found;
    }

    @Test
    void theWalkSkipsOnlyReviewedDerivedStateOfAnAllowedClass() {
        Set<Class<?>> allowed = allowlist.parsedNodeClasses();
        assertThat(allowed).hasSizeGreaterThan(100);
        List<String> unreviewed = new ArrayList<>();
        int visited = 0;
        for (Class<?> type : allowed) {
            visited += ParsedPlanCheck.fields(type).size();
            for (Field field : ParsedPlanCheck.allFields(type)) {
                String name = field.getDeclaringClass().getSimpleName() + "." + field.getName();
                if (!Modifier.isFinal(field.getModifiers()) && !field.getName().startsWith("bitmap$")
                        && !lazyVal(field) && !ParsedPlanCheck.derived(field)) {
                    unreviewed.add(name);
                }
            }
        }
        assertThat(visited).as("fields the walk visits").isGreaterThan(200);
        assertThat(new TreeSet<>(unreviewed))
                .as("non-final fields of allowed classes the walk would skip, not reviewed as derived state in "
                        + "ParsedPlanCheck.DERIVED_FIELDS").isEmpty();
    }

    /** A Scala lazy val: computed on first use from the object's other state, so never parser input. */
    private static boolean lazyVal(Field field) {
        for (var method : field.getDeclaringClass().getDeclaredMethods()) {
            if (method.getName().equals(field.getName() + "$lzycompute")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theSectionsOfThePageAreRead() {
        assertThat(allowlist.section("Functions")).hasSizeGreaterThan(10);
        assertThat(allowlist.section("Plan nodes")).isNotEmpty();
        assertThat(allowlist.section("Expression nodes")).isNotEmpty();
        assertThat(allowlist.section("After analysis")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(allowlist.hintAllowed("BROADCAST")).isTrue();
        assertThat(allowlist.hintAllowed("nonsense")).isFalse();
    }
}
