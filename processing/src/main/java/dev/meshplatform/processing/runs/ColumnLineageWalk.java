package dev.meshplatform.processing.runs;

import dev.meshplatform.registry.api.ColumnLineage;
import dev.meshplatform.registry.api.ColumnLineage.Derivation;
import dev.meshplatform.registry.api.ColumnLineage.InputColumn;
import dev.meshplatform.registry.api.ColumnLineage.OutputColumn;
import dev.meshplatform.registry.api.ColumnLineage.Source;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Cast;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.OuterReference;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.expressions.aggregate.AggregateExpression;
import org.apache.spark.sql.catalyst.expressions.aggregate.Count;
import org.apache.spark.sql.catalyst.expressions.aggregate.HyperLogLogPlusPlus;
import org.apache.spark.sql.catalyst.plans.logical.CTERelationDef;
import org.apache.spark.sql.catalyst.plans.logical.CTERelationRef;
import org.apache.spark.sql.catalyst.plans.logical.Expand;
import org.apache.spark.sql.catalyst.plans.logical.Generate;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Union;
import org.apache.spark.sql.catalyst.plans.logical.View;
import scala.jdk.javaapi.CollectionConverters;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Column lineage from an analyzed plan: every attribute the plan makes is traced, through its defining expression,
 * to the columns of the run's views it derives from. Attributes are followed by their expression ids, so renames,
 * joins, unions, CTEs, subqueries and generators all resolve to the views' columns. What a node makes without an
 * expression the walk understands derives, conservatively, from everything its children make.
 */
final class ColumnLineageWalk {

    /** The input (as lineage names it) behind each view, by lower-case view name. */
    private final Map<String, String> inputs;
    private final Map<ExprId, Map<InputColumn, Derivation>> traced = new HashMap<>();
    private final Map<Long, List<Attribute>> cteOutputs = new HashMap<>();
    private final Set<InputColumn> referenced = new LinkedHashSet<>();
    /** Plans already walked: a subquery is met once per expression that holds it, and walked once. */
    private final Set<LogicalPlan> walked = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    private ColumnLineageWalk(Map<String, String> inputs) {
        this.inputs = inputs;
    }

    /**
     * @param analyzed the analyzed (and checked) plan of the transformation
     * @param inputs   each view's input, by view name
     */
    static ColumnLineage of(LogicalPlan analyzed, Map<String, String> inputs) {
        Map<String, String> byView = new HashMap<>();
        inputs.forEach((view, input) -> byView.put(view.toLowerCase(Locale.ROOT), input));
        ColumnLineageWalk walk = new ColumnLineageWalk(byView);
        walk.plan(analyzed);
        List<OutputColumn> columns = new ArrayList<>();
        for (Attribute output : CollectionConverters.asJava(analyzed.output())) {
            columns.add(new OutputColumn(output.name(), sources(walk.traced.getOrDefault(output.exprId(), Map.of()))));
        }
        List<InputColumn> read = walk.referenced.stream()
                .sorted(Comparator.comparing(InputColumn::input).thenComparing(InputColumn::column)).toList();
        return new ColumnLineage(ColumnLineage.Status.COMPUTED, null, columns, read);
    }

    private static List<Source> sources(Map<InputColumn, Derivation> from) {
        return from.entrySet().stream()
                .map(e -> new Source(e.getKey().input(), e.getKey().column(), e.getValue()))
                .sorted(Comparator.comparing(Source::input).thenComparing(Source::column))
                .toList();
    }

    private void plan(LogicalPlan plan) {
        if (!walked.add(plan)) {
            return;
        }
        if (plan instanceof View view) {
            String input = inputs.get(view.desc().identifier().table().toLowerCase(Locale.ROOT));
            for (Attribute attribute : CollectionConverters.asJava(view.output())) {
                Map<InputColumn, Derivation> own = new LinkedHashMap<>();
                if (input != null) {
                    own.put(new InputColumn(input, attribute.name()), Derivation.DIRECT);
                }
                traced.put(attribute.exprId(), own);
            }
            return;
        }
        for (LogicalPlan child : CollectionConverters.asJava(plan.children())) {
            plan(child);
        }
        if (plan instanceof CTERelationDef definition) {
            cteOutputs.put(definition.id(), CollectionConverters.asJava(definition.child().output()));
        } else if (plan instanceof CTERelationRef reference) {
            positional(CollectionConverters.asJava(reference.output()),
                    List.of(cteOutputs.getOrDefault(reference.cteId(), List.of())));
        } else if (plan instanceof Union union) {
            List<List<Attribute>> outputs = new ArrayList<>();
            for (LogicalPlan child : CollectionConverters.asJava(union.children())) {
                outputs.add(CollectionConverters.asJava(child.output()));
            }
            positional(CollectionConverters.asJava(union.output()), outputs);
        } else if (plan instanceof Expand expand) {
            List<Attribute> output = CollectionConverters.asJava(expand.output());
            for (var projection : CollectionConverters.asJava(expand.projections())) {
                List<Expression> expressions = CollectionConverters.asJava(projection);
                for (int i = 0; i < output.size() && i < expressions.size(); i++) {
                    merge(traced.computeIfAbsent(output.get(i).exprId(), id -> new LinkedHashMap<>()),
                            expression(expressions.get(i), Derivation.DIRECT));
                }
            }
        } else if (plan instanceof Generate generate) {
            Map<InputColumn, Derivation> from = expression((Expression) generate.generator(), Derivation.TRANSFORMED);
            for (Attribute attribute : CollectionConverters.asJava(generate.generatorOutput())) {
                traced.put(attribute.exprId(), new LinkedHashMap<>(from));
            }
        }
        for (Expression expression : CollectionConverters.asJava(plan.expressions())) {
            // Every reference counts as read (a filter, a join key); aliases define what the node makes.
            expression(expression, Derivation.DIRECT);
            aliases(expression);
        }
        for (Attribute output : CollectionConverters.asJava(plan.output())) {
            if (!traced.containsKey(output.exprId())) {
                Map<InputColumn, Derivation> everything = new LinkedHashMap<>();
                for (LogicalPlan child : CollectionConverters.asJava(plan.children())) {
                    for (Attribute made : CollectionConverters.asJava(child.output())) {
                        merge(everything, then(traced.getOrDefault(made.exprId(), Map.of()), Derivation.TRANSFORMED));
                    }
                }
                traced.put(output.exprId(), everything);
            }
        }
    }

    private void positional(List<Attribute> output, List<List<Attribute>> from) {
        for (int i = 0; i < output.size(); i++) {
            Map<InputColumn, Derivation> sources = traced.computeIfAbsent(output.get(i).exprId(),
                    id -> new LinkedHashMap<>());
            for (List<Attribute> child : from) {
                if (i < child.size() && !child.get(i).exprId().equals(output.get(i).exprId())) {
                    merge(sources, traced.getOrDefault(child.get(i).exprId(), Map.of()));
                }
            }
        }
    }

    /** Records what each alias in {@code expression} derives from (aliases nest inside aggregates and windows). */
    private void aliases(Expression expression) {
        if (expression instanceof Alias alias) {
            traced.put(alias.exprId(), expression(alias.child(), Derivation.DIRECT));
        }
        for (Expression child : CollectionConverters.asJava(expression.children())) {
            aliases(child);
        }
    }

    /**
     * The input columns {@code expression} derives from. {@code way} is how the value got here so far: an attribute
     * alone (through casts) keeps it, anything computed makes it at least {@link Derivation#TRANSFORMED}, an
     * aggregate {@link Derivation#AGGREGATED}, and a count of plain columns {@link Derivation#COUNTED}.
     */
    private Map<InputColumn, Derivation> expression(Expression expression, Derivation way) {
        Map<InputColumn, Derivation> found = new LinkedHashMap<>();
        if (expression instanceof Attribute attribute) {
            Map<InputColumn, Derivation> sources = traced.getOrDefault(attribute.exprId(), Map.of());
            referenced.addAll(sources.keySet());
            merge(found, then(sources, way));
            return found;
        }
        if (expression instanceof OuterReference outer) {
            return expression((Expression) outer.e(), way);
        }
        if (expression instanceof SubqueryExpression subquery) {
            plan(subquery.plan());
            for (Attribute made : CollectionConverters.asJava(subquery.plan().output())) {
                merge(found, then(traced.getOrDefault(made.exprId(), Map.of()), way.then(Derivation.TRANSFORMED)));
            }
        }
        Derivation next;
        if (expression instanceof Alias || expression instanceof Cast) {
            next = way;
        } else if (expression instanceof AggregateExpression aggregate) {
            next = counts(aggregate) ? way.then(Derivation.COUNTED) : way.then(Derivation.AGGREGATED);
        } else {
            next = way.then(Derivation.TRANSFORMED);
        }
        for (Expression child : CollectionConverters.asJava(expression.children())) {
            merge(found, expression(child, next));
        }
        return found;
    }

    /** A count of plain columns or literals carries no value; a count of anything computed may (a bit per row). */
    private static boolean counts(AggregateExpression aggregate) {
        Expression function = aggregate.aggregateFunction();
        if (!(function instanceof Count || function instanceof HyperLogLogPlusPlus)) {
            return false;
        }
        if (aggregate.filter().isDefined()) {
            return false;
        }
        for (Expression argument : CollectionConverters.asJava(function.children())) {
            Expression plain = argument;
            while (plain instanceof Cast cast) {
                plain = cast.child();
            }
            if (!(plain instanceof Attribute || plain instanceof Literal)) {
                return false;
            }
        }
        return true;
    }

    private static Map<InputColumn, Derivation> then(Map<InputColumn, Derivation> sources, Derivation way) {
        Map<InputColumn, Derivation> derived = new LinkedHashMap<>();
        sources.forEach((column, how) -> derived.put(column, how.then(way)));
        return derived;
    }

    /** Adds sources; a column reached two ways keeps the way that carries more of its value. */
    private static void merge(Map<InputColumn, Derivation> into, Map<InputColumn, Derivation> sources) {
        sources.forEach((column, how) -> into.merge(column, how, (a, b) -> a.compareTo(b) <= 0 ? a : b));
    }
}
