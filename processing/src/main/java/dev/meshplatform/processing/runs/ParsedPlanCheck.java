package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.SqlRefusedException;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.analysis.UnresolvedGenerator;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.QueryPlan;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedHint;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedWith;
import org.apache.spark.sql.catalyst.trees.Origin;
import org.apache.spark.sql.catalyst.trees.TreeNode;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.UserDefinedType;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Enumeration;
import scala.Option;
import scala.Product;
import scala.jdk.javaapi.CollectionConverters;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The check of a parsed query, before Spark resolves anything: every node's class must be allowed, and every field
 * of every node is visited (lists, options, maps, tuples), so that nothing hides where a walk over
 * {@code children} and {@code expressions} would not look (a named window's definition, a CTE, a hint). Functions,
 * table functions, generators, hints and relations are checked by name.
 */
final class ParsedPlanCheck {

    /** Deeper trees are refused: the walk (and Spark's own) would exhaust the stack. */
    static final int MAX_DEPTH = 1_000;

    /**
     * Non-final fields of allowed classes that are not lazy vals, reviewed as derived state: trait vals set when a
     * node is built ({@code *.} applies to every class) and evaluation caches. The walk visits only final fields
     * (every constructor parameter is one); {@code SqlAllowlistTest} fails when an allowed class has a non-final field
     * that is neither a lazy val nor named here, so a Spark upgrade cannot add a field the walk silently skips.
     */
    static final Set<String> DERIVED_FIELDS = Set.of("*.nodePatterns", "*.queryContext", "*.aliasCandidateLimit",
            "*.org$apache$spark$sql$catalyst$expressions$Nondeterministic$$initialized",
            "*.org$apache$spark$sql$catalyst$expressions$aggregate$KllSketchAggBase$$MIN_K",
            "*.org$apache$spark$sql$catalyst$expressions$aggregate$KllSketchAggBase$$MAX_K",
            "*.org$apache$spark$sql$catalyst$expressions$aggregate$KllSketchAggBase$$DEFAULT_K",
            "Cast.binaryFormatter", "CumeDist.n", "NTile.n", "PercentRank.n", "FormatNumber.lastDIntValue",
            "FormatNumber.lastDStringValue", "MonotonicallyIncreasingID.count",
            "MonotonicallyIncreasingID.partitionMask", "NondeterministicUnaryRDG.rng", "RandStr.rng", "Uniform.rng",
            "Shuffle.random", "Uuid.randomGenerator", "SparkPartitionID.partitionId", "RegExpExtractBase.lastRegex",
            "RegExpExtractBase.pattern", "RegExpReplace.lastRegex", "RegExpReplace.lastReplacement",
            "RegExpReplace.lastReplacementInUTF8", "RegExpReplace.pattern", "StringTranslate.dict",
            "StringTranslate.lastMatching", "StringTranslate.lastReplace",
            "RepartitionByExpression.numPartitions", "SubqueryExpression.plan");

    static boolean derived(java.lang.reflect.Field field) {
        String name = field.getName();
        return DERIVED_FIELDS.contains("*." + name)
                || DERIVED_FIELDS.contains(field.getDeclaringClass().getSimpleName() + "." + name);
    }

    /** Values that are plain data, never code: leaves of the walk. */
    private static final Set<Class<?>> LEAVES = Set.of(String.class, Boolean.class, Character.class, Byte.class,
            Short.class, Integer.class, Long.class, Float.class, Double.class, BigDecimal.class, BigInteger.class,
            UTF8String.class, org.apache.spark.sql.types.Decimal.class, byte[].class, Metadata.class,
            org.apache.spark.sql.catalyst.expressions.ExprId.class, java.util.UUID.class,
            scala.math.BigDecimal.class, scala.math.BigInt.class);

    /** Products that are plain data (join types, sort directions, hints' info): their elements are walked. */
    private static final Set<String> DATA_PRODUCT_PREFIXES = Set.of(
            "org.apache.spark.sql.catalyst.plans.JoinType", "org.apache.spark.sql.catalyst.plans.Inner",
            "org.apache.spark.sql.catalyst.plans.Cross", "org.apache.spark.sql.catalyst.plans.LeftOuter",
            "org.apache.spark.sql.catalyst.plans.RightOuter", "org.apache.spark.sql.catalyst.plans.FullOuter",
            "org.apache.spark.sql.catalyst.plans.LeftSemi", "org.apache.spark.sql.catalyst.plans.LeftAnti",
            "org.apache.spark.sql.catalyst.plans.LeftSingle", "org.apache.spark.sql.catalyst.plans.UsingJoin",
            "org.apache.spark.sql.catalyst.plans.NaturalJoin", "org.apache.spark.sql.catalyst.plans.logical.JoinHint",
            "org.apache.spark.sql.catalyst.plans.logical.HintInfo",
            "org.apache.spark.sql.catalyst.expressions.Ascending", "org.apache.spark.sql.catalyst.expressions.Descending",
            "org.apache.spark.sql.catalyst.expressions.NullsFirst", "org.apache.spark.sql.catalyst.expressions.NullsLast",
            "org.apache.spark.sql.catalyst.expressions.RowFrame", "org.apache.spark.sql.catalyst.expressions.RangeFrame",
            "org.apache.spark.sql.catalyst.expressions.NumericEvalContext",
            "org.apache.spark.sql.catalyst.expressions.WindowSpecReference",
            "org.apache.spark.sql.catalyst.expressions.aggregate.Complete",
            "org.apache.spark.sql.catalyst.FunctionIdentifier", "org.apache.spark.sql.catalyst.AliasIdentifier",
            "scala.Tuple", "scala.None", "scala.Some",
            "scala.util.Left", "scala.util.Right");

    private static final Map<Class<?>, List<Field>> FIELDS = new ConcurrentHashMap<>();

    private final SqlAllowlist allowlist;

    ParsedPlanCheck(SqlAllowlist allowlist) {
        this.allowlist = allowlist;
    }

    /** @param views the names the query may read besides its own CTEs, lower-case */
    void check(LogicalPlan plan, Set<String> views) {
        try {
            node(plan, new HashSet<>(views), Position.NONE, 0);
        } catch (StackOverflowError e) {
            throw new SqlRefusedException("the query is nested too deeply to be checked", "nesting", null, null);
        }
    }

    private void node(TreeNode<?> node, Set<String> readable, Position around, int depth) {
        if (depth > MAX_DEPTH) {
            throw refused("nesting deeper than " + MAX_DEPTH, around, "the query is nested too deeply");
        }
        Position here = Position.of(node.origin(), around);
        Class<?> type = node.getClass();
        boolean allowed = node instanceof LogicalPlan ? allowlist.planNodeAllowed(type)
                : allowlist.expressionAllowed(type);
        if (!allowed) {
            throw refused(Constructs.name(node), here, Constructs.why(node));
        }
        Set<String> handled = Set.of();
        if (node instanceof UnresolvedRelation relation) {
            relation(relation, readable, here);
        } else if (node instanceof UnresolvedFunction function) {
            function(function, here);
        } else if (node instanceof UnresolvedTableValuedFunction function) {
            List<String> name = CollectionConverters.asJava(function.name());
            tableFunction(String.join(".", name), name.size() == 1, here);
        } else if (node instanceof UnresolvedGenerator generator) {
            generator(generator.name(), here);
        } else if (node instanceof UnresolvedHint hint && !allowlist.hintAllowed(hint.name())) {
            throw refused("the hint '" + hint.name() + "'", here, "only join and partitioning hints are allowed");
        } else if (node instanceof UnresolvedWith with) {
            readable = with(with, readable, here, depth);
            handled = Set.of("cteRelations");
        }
        for (Field field : fields(type)) {
            if (handled.contains(field.getName())) {
                continue;
            }
            Object value = read(field, node);
            if (code(value) && !constructorParameter(node, field.getName())) {
                // A function an allowed class computes in its body (e.g. ShiftLeft's shift): Spark's code, not input.
                continue;
            }
            value(value, readable, here, depth + 1);
        }
    }

    /** CTEs: each definition may read the names defined before it (and itself when recursive); the body all. */
    private Set<String> with(UnresolvedWith with, Set<String> readable, Position here, int depth) {
        Set<String> scope = new HashSet<>(readable);
        for (Object definition : CollectionConverters.asJava(with.cteRelations())) {
            if (!(definition instanceof Product product) || product.productArity() < 2
                    || !(product.productElement(0) instanceof String name)) {
                throw refused("a common table expression of an unknown shape", here, "this Spark is not reviewed");
            }
            if (with.allowRecursion()) {
                scope.add(name.toLowerCase(Locale.ROOT));
            }
            for (int i = 1; i < product.productArity(); i++) {
                value(product.productElement(i), scope, here, depth + 1);
            }
            scope.add(name.toLowerCase(Locale.ROOT));
        }
        return scope;
    }

    private void relation(UnresolvedRelation relation, Set<String> readable, Position here) {
        List<String> name = CollectionConverters.asJava(relation.multipartIdentifier());
        String text = String.join(".", name);
        if (name.size() != 1) {
            throw refused("the relation '" + text + "'", here, "a query reads only its views ("
                    + String.join(", ", readable.stream().sorted().toList()) + "); reading by path, from a catalog, "
                    + "a database or a table is not allowed");
        }
        if (!readable.contains(name.get(0).toLowerCase(Locale.ROOT))) {
            throw refused("the relation '" + text + "'", here, "it is not one of the query's views ("
                    + String.join(", ", readable.stream().sorted().toList()) + "); declare the product as an input "
                    + "port to read it");
        }
        if (!relation.options().isEmpty()) {
            throw refused("options on the relation '" + text + "'", here, "relations take no options");
        }
        if (relation.isStreaming()) {
            throw refused("streaming the relation '" + text + "'", here, "a transformation reads tables, not streams");
        }
    }

    private void function(UnresolvedFunction function, Position here) {
        List<String> parts = CollectionConverters.asJava(function.nameParts());
        String name = String.join(".", parts);
        if (parts.size() != 1) {
            throw refused("the function '" + name + "'", here, "functions are named with one part: only Spark's "
                    + "built-in functions are allowed, not functions of a catalog or a database");
        }
        if (function.isInternal()) {
            throw refused("the internal function '" + name + "'", here, "Spark's internal functions are not allowed");
        }
        SqlAllowlist.Family family = allowlist.functionFamily(name);
        if (family == null) {
            throw refused("the function '" + name + "'", here, "it is not one of Spark's built-in functions the "
                    + "platform allows; user-defined and temporary functions are not allowed");
        }
        if (!family.allowed()) {
            throw refused("the function '" + name + "'", here, family.title() + ": " + family.why());
        }
    }

    private void tableFunction(String name, boolean onePart, Position here) {
        SqlAllowlist.Family family = allowlist.tableFunctionFamily(name);
        if (!onePart || family == null) {
            throw refused("the table function '" + name + "'", here, "only the row generators on the platform's "
                    + "list are allowed (range, explode, inline, posexplode, stack, json_tuple, …)");
        }
        if (!family.allowed()) {
            throw refused("the table function '" + name + "'", here, family.title() + ": " + family.why());
        }
    }

    private void generator(FunctionIdentifier id, Position here) {
        boolean onePart = id.database().isEmpty() && id.catalog().isEmpty();
        String name = id.funcName();
        if (onePart && !allowlist.tableFunctionAllowed(name) && allowlist.functionAllowed(name)) {
            return;
        }
        tableFunction(onePart ? name : id.unquotedString(), onePart, here);
    }

    private void value(Object value, Set<String> readable, Position here, int depth) {
        if (value == null || LEAVES.contains(value.getClass()) || value instanceof Enumeration.Value) {
            return;
        }
        if (depth > MAX_DEPTH) {
            throw refused("nesting deeper than " + MAX_DEPTH, here, "the query is nested too deeply");
        }
        if (value instanceof TreeNode<?> node) {
            node(node, readable, here, depth);
        } else if (value instanceof DataType type) {
            if (value instanceof UserDefinedType<?> || !type.getClass().getName().startsWith("org.apache.spark.sql.types.")) {
                throw refused("the type " + type.simpleString(), here, "only Spark's own types are allowed");
            }
        } else if (value instanceof Option<?> option) {
            if (option.isDefined()) {
                value(option.get(), readable, here, depth + 1);
            }
        } else if (value instanceof scala.collection.Map<?, ?> map) {
            for (Object entry : CollectionConverters.asJava(map.toSeq())) {
                value(entry, readable, here, depth + 1);
            }
        } else if (value instanceof scala.collection.Iterable<?> items) {
            for (Object item : CollectionConverters.asJava(items)) {
                value(item, readable, here, depth + 1);
            }
        } else if (value instanceof org.apache.spark.sql.catalyst.expressions.GenericInternalRow row) {
            // The rows of an inline table (VALUES) the parser evaluated already.
            for (Object item : row.values()) {
                value(item, readable, here, depth + 1);
            }
        } else if (value instanceof org.apache.spark.sql.catalyst.util.GenericArrayData array) {
            for (Object item : array.array()) {
                value(item, readable, here, depth + 1);
            }
        } else if (value instanceof org.apache.spark.sql.catalyst.util.ArrayBasedMapData map) {
            value(map.keyArray(), readable, here, depth + 1);
            value(map.valueArray(), readable, here, depth + 1);
        } else if (value instanceof java.util.Map<?, ?> map) {
            if (!map.isEmpty()) {
                throw refused("options", here, "options are not allowed");
            }
        } else if (value instanceof Product product && dataProduct(value.getClass())) {
            for (int i = 0; i < product.productArity(); i++) {
                value(product.productElement(i), readable, here, depth + 1);
            }
        } else {
            throw refused("a value of type " + value.getClass().getName(), here,
                    "the sandbox does not know it (a Spark upgrade?)");
        }
    }

    private static boolean code(Object value) {
        return value instanceof scala.Function0<?> || value instanceof scala.Function1<?, ?>
                || value instanceof scala.Function2<?, ?, ?> || value instanceof scala.Function3<?, ?, ?, ?>;
    }

    private static boolean constructorParameter(TreeNode<?> node, String field) {
        for (int i = 0; i < node.productArity(); i++) {
            if (node.productElementName(i).equals(field)) {
                return true;
            }
        }
        return false;
    }

    private static boolean dataProduct(Class<?> type) {
        String name = type.getName();
        for (String prefix : DATA_PRODUCT_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The fields the walk visits: every final instance field of the class and its superclasses below Spark's tree
     * base classes (constructor parameters, both parameter lists, and eagerly computed values). Non-final fields are
     * lazily derived state.
     */
    static List<Field> fields(Class<?> type) {
        return FIELDS.computeIfAbsent(type, t -> {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = t; c != null && !framework(c); c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    int modifiers = field.getModifiers();
                    if (Modifier.isStatic(modifiers) || !Modifier.isFinal(modifiers)) {
                        continue;
                    }
                    field.setAccessible(true);
                    fields.add(field);
                }
            }
            return List.copyOf(fields);
        });
    }

    /** Every instance field below the framework classes, final or not: what the unit test inspects. */
    static List<Field> allFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != null && !framework(c); c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    fields.add(field);
                }
            }
        }
        return fields;
    }

    private static boolean framework(Class<?> type) {
        return type == Object.class || type == TreeNode.class || type == QueryPlan.class || type == LogicalPlan.class
                || type == Expression.class;
    }

    private static Object read(Field field, Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + field, e);
        }
    }

    static SqlRefusedException refused(String construct, Position at, String why) {
        return new SqlRefusedException(construct + at.text() + " is not allowed: " + why, construct, at.line(),
                at.column());
    }

    /** Where a construct is, 1-based, as far as the parser recorded it. */
    record Position(Integer line, Integer column) {

        static final Position NONE = new Position(null, null);

        static Position of(Origin origin, Position fallback) {
            if (origin == null || origin.line().isEmpty()) {
                return fallback;
            }
            Integer line = (Integer) origin.line().get();
            Integer column = origin.startPosition().isDefined() ? (Integer) origin.startPosition().get() + 1 : null;
            return new Position(line, column);
        }

        String text() {
            if (line == null) {
                return "";
            }
            return " at line " + line + (column == null ? "" : ", column " + column);
        }
    }
}
