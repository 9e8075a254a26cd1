package io.onyxml.inference;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.inference.binding.OutputBinding;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelTask;
import io.onyxml.store.OnyxException;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static io.onyxml.store.OnyxErrorCode.UNSUPPORTED_MODEL;
import static java.lang.String.format;

/**
 * Which model outputs the SQL functions return, and as what: the same rules in every engine, so that the same model
 * and rows give the same results in Trino and in Spark.
 * <ul>
 * <li>A classifier (task {@code classification}) answers with its label output (the first output of one string or
 * integer per row) and its probability output (a ZipMap sequence of maps, or else a float array per row keyed by its
 * class labels): columns {@code label varchar} and {@code probabilities map(varchar, double)}.</li>
 * <li>Any other model with one output answers with {@code prediction}: double for a number per row, array(double)
 * for several, or the output's own widened type.</li>
 * <li>A model with several outputs answers with each of them under its own name, widened.</li>
 * </ul>
 */
public final class ResultColumns
{
    public static final String PREDICTION = "prediction";
    public static final String LABEL = "label";
    public static final String PROBABILITIES = "probabilities";

    private ResultColumns() {}

    /**
     * The columns of the table form of predict.
     */
    public static List<ResultColumn> table(PredictionPlan plan)
    {
        ModelManifest manifest = plan.manifest();
        List<OutputBinding> outputs = plan.outputs();
        if (manifest.task() == ModelTask.CLASSIFICATION) {
            Optional<ResultColumn> label = find(outputs, ResultColumns::isLabel)
                    .map(index -> new ResultColumn(LABEL, ScalarType.VARCHAR, index, ResultConversion.TO_VARCHAR));
            Optional<ResultColumn> probabilities = probabilities(outputs);
            if (label.isPresent() || probabilities.isPresent()) {
                ImmutableList.Builder<ResultColumn> columns = ImmutableList.builder();
                label.ifPresent(columns::add);
                probabilities.ifPresent(columns::add);
                return columns.build();
            }
        }
        if (outputs.size() == 1) {
            ColumnType type = outputs.get(0).column().type();
            return ImmutableList.of(isNumeric(type)
                    ? new ResultColumn(PREDICTION, type instanceof ScalarType ? ScalarType.DOUBLE : ColumnType.array(ScalarType.DOUBLE), 0, type instanceof ScalarType ? ResultConversion.TO_DOUBLE : ResultConversion.TO_DOUBLE_ARRAY)
                    : new ResultColumn(PREDICTION, ResultConversion.widened(type), 0, ResultConversion.WIDEN));
        }
        ImmutableList.Builder<ResultColumn> columns = ImmutableList.builder();
        for (int index = 0; index < outputs.size(); index++) {
            OutputBinding output = outputs.get(index);
            columns.add(new ResultColumn(output.column().name(), ResultConversion.widened(output.column().type()), index, ResultConversion.WIDEN));
        }
        return columns.build();
    }

    /**
     * The single column a scalar function returns for a model, or an error that says which function fits instead
     * (only one that would succeed).
     */
    public static ResultColumn scalar(PredictionPlan plan, ResultKind kind)
    {
        ScalarAnswer answer = scalarAnswer(plan, kind);
        if (answer.column() != null) {
            return answer.column();
        }
        String alternative = "";
        for (ResultKind other : ResultKind.values()) {
            if (other != kind && scalarAnswer(plan, other).column() != null) {
                alternative = "; use " + functionName(other);
                break;
            }
        }
        throw unsupported(plan.manifest(), answer.problem() + alternative);
    }

    /**
     * The SQL function that returns a kind of result, e.g. {@code predict_label}.
     */
    public static String functionName(ResultKind kind)
    {
        return switch (kind) {
            case VALUE -> "predict";
            case LABEL -> "predict_label";
            case PROBABILITIES -> "predict_proba";
            case VECTOR -> "predict_vector";
        };
    }

    private record ScalarAnswer(ResultColumn column, String problem) {}

    private static ScalarAnswer scalarAnswer(PredictionPlan plan, ResultKind kind)
    {
        ModelManifest manifest = plan.manifest();
        List<OutputBinding> outputs = plan.outputs();
        boolean classifier = manifest.task() == ModelTask.CLASSIFICATION;
        ColumnType first = outputs.get(0).column().type();
        return switch (kind) {
            case VALUE -> {
                if (classifier) {
                    Optional<Integer> label = find(outputs, ResultColumns::isLabel);
                    if (label.isEmpty()) {
                        yield problem("has no label output to read a class from");
                    }
                    if (manifest.classLabels().stream().anyMatch(value -> !isNumber(value))) {
                        yield problem(format("is a classifier with text labels (%s)", String.join(", ", manifest.classLabels())));
                    }
                    yield answer(new ResultColumn(PREDICTION, ScalarType.DOUBLE, label.get(), ResultConversion.TO_DOUBLE));
                }
                if (first instanceof ColumnType.ArrayType && isNumeric(first)) {
                    yield problem(format("returns several values per row (output %s)", describe(outputs.get(0))));
                }
                if (!isNumeric(first)) {
                    yield problem(format("does not return a number (output %s)", describe(outputs.get(0))));
                }
                yield answer(new ResultColumn(PREDICTION, ScalarType.DOUBLE, 0, ResultConversion.TO_DOUBLE));
            }
            case LABEL -> {
                if (!classifier) {
                    yield problem(format("is not a classifier (task %s)", manifest.task().displayName()));
                }
                yield find(outputs, ResultColumns::isLabel)
                        .map(label -> answer(new ResultColumn(LABEL, ScalarType.VARCHAR, label, ResultConversion.TO_VARCHAR)))
                        .orElseGet(() -> problem("has no label output"));
            }
            case PROBABILITIES -> {
                if (!classifier) {
                    yield problem(format("is not a classifier (task %s)", manifest.task().displayName()));
                }
                yield probabilities(outputs).map(ResultColumns::answer).orElseGet(() -> problem("has no probability output"));
            }
            case VECTOR -> isNumeric(first)
                    ? answer(new ResultColumn(PREDICTION, ColumnType.array(ScalarType.DOUBLE), 0, ResultConversion.TO_DOUBLE_ARRAY))
                    : problem(format("does not return numbers (output %s)", describe(outputs.get(0))));
        };
    }

    private static ScalarAnswer answer(ResultColumn column)
    {
        return new ScalarAnswer(column, null);
    }

    private static ScalarAnswer problem(String problem)
    {
        return new ScalarAnswer(null, problem);
    }

    /**
     * Why the outputs a model returns cannot serve its task, or empty when they can: a classifier needs a label
     * or probability output, a regression or clustering model a number, an embedding numbers.
     */
    public static Optional<String> taskProblem(ModelTask task, List<OutputBinding> outputs)
    {
        ColumnType first = outputs.get(0).column().type();
        return switch (task) {
            case CLASSIFICATION -> find(outputs, ResultColumns::isLabel).isPresent() || probabilities(outputs).isPresent()
                    ? Optional.empty()
                    : Optional.of("a classifier needs a label output (one string or integer per row) or class probabilities (a ZipMap, or a float array per row)");
            case REGRESSION -> isNumeric(first) ? Optional.empty() : Optional.of(format("a regression model returns numbers, but its first output %s does not", describe(outputs.get(0))));
            case CLUSTERING -> outputs.stream().anyMatch(output -> isNumeric(output.column().type()))
                    ? Optional.empty()
                    : Optional.of("a clustering model returns a cluster number or distances, but none of its outputs is numeric");
            case EMBEDDING -> isNumeric(first) ? Optional.empty() : Optional.of(format("an embedding model returns numbers, but its first output %s does not", describe(outputs.get(0))));
            case OTHER -> Optional.empty();
        };
    }

    /**
     * Applies result columns to what {@link Predictor#predict} returned.
     */
    public static ColumnBatch project(PredictionPlan plan, List<ResultColumn> columns, ColumnBatch outputs)
    {
        ColumnBatch.Builder result = ColumnBatch.builder(outputs.rowCount());
        for (ResultColumn column : columns) {
            String outputName = plan.outputs().get(column.output()).output().name();
            Column projected = column.conversion().apply(plan.manifest(), outputName, outputs.column(column.output()));
            result.add(column.name(), projected);
        }
        return result.build();
    }

    private static Optional<ResultColumn> probabilities(List<OutputBinding> outputs)
    {
        Optional<Integer> map = find(outputs, output -> output.column().type() instanceof ColumnType.MapType);
        if (map.isPresent()) {
            return Optional.of(new ResultColumn(PROBABILITIES, ColumnType.map(ScalarType.VARCHAR, ScalarType.DOUBLE), map.get(), ResultConversion.TO_PROBABILITY_MAP));
        }
        return find(outputs, output -> output.column().type() instanceof ColumnType.ArrayType array && (array.elementType() == ScalarType.FLOAT || array.elementType() == ScalarType.DOUBLE))
                .map(index -> new ResultColumn(PROBABILITIES, ColumnType.map(ScalarType.VARCHAR, ScalarType.DOUBLE), index, ResultConversion.TO_PROBABILITY_MAP));
    }

    private static boolean isLabel(OutputBinding output)
    {
        ColumnType type = output.column().type();
        return type == ScalarType.VARCHAR || type == ScalarType.BIGINT || type == ScalarType.INTEGER;
    }

    private static boolean isNumeric(ColumnType type)
    {
        if (type instanceof ColumnType.ArrayType array) {
            return array.elementType().isNumeric();
        }
        return type instanceof ScalarType scalar && scalar.isNumeric();
    }

    private static boolean isNumber(String text)
    {
        try {
            Double.parseDouble(text);
            return true;
        }
        catch (NumberFormatException e) {
            return false;
        }
    }

    private static Optional<Integer> find(List<OutputBinding> outputs, Predicate<OutputBinding> predicate)
    {
        for (int index = 0; index < outputs.size(); index++) {
            if (predicate.test(outputs.get(index))) {
                return Optional.of(index);
            }
        }
        return Optional.empty();
    }

    private static String describe(OutputBinding output)
    {
        return "'" + output.output().name() + "' " + output.output().typeText();
    }

    private static OnyxException unsupported(ModelManifest manifest, String why)
    {
        return new OnyxException(UNSUPPORTED_MODEL, format("Model %s %s", manifest.reference(), why));
    }
}
