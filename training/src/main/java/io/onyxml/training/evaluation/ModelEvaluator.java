package io.onyxml.training.evaluation;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.EngineColumn;
import io.onyxml.inference.InputColumn;
import io.onyxml.inference.PredictionPlan;
import io.onyxml.inference.Predictor;
import io.onyxml.inference.ResultColumn;
import io.onyxml.inference.ResultColumns;
import io.onyxml.inference.ResultKind;
import io.onyxml.inference.TableCall;
import io.onyxml.inference.batch.ArrayColumn;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelTask;
import io.onyxml.store.OnyxException;
import io.onyxml.training.data.ClassLabels;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static io.onyxml.store.OnyxErrorCode.UNSUPPORTED_MODEL;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * The metrics of any registered model on labelled rows ({@code evaluate}): the same metrics, from the same code, as
 * training reports. A regression model is read through {@code predict}; a classifier through {@code predict_label}
 * and {@code predict_proba} (labels given as text or numbers, compared in their text form, {@code 1.0} being
 * {@code 1}); a clustering model through its cluster and, for the inertia, its smallest distance. Rows whose label
 * is NULL, or whose prediction is NULL (a NULL feature the model does not handle), are not counted. The inertia of a
 * clustering model is the sum of its squared smallest distances, when it returns distances.
 */
public final class ModelEvaluator
{
    private final ModelManifest manifest;
    private final Predictor predictor;
    private final List<ResultColumn> results;
    private final Map<String, Integer> classIndexes = new HashMap<>();
    private final EvaluationMetrics partial;

    public ModelEvaluator(Predictor predictor, boolean hasLabel)
    {
        this.predictor = requireNonNull(predictor, "predictor is null");
        this.manifest = predictor.plan().manifest();
        this.results = resultColumns(predictor.plan(), hasLabel);
        this.partial = EvaluationMetrics.empty(manifest);
        for (int index = 0; index < manifest.classLabels().size(); index++) {
            classIndexes.put(manifest.classLabels().get(index), index);
        }
    }

    /**
     * How an input table binds for evaluation, in every engine: the model's features bind by name to the named
     * columns of a type a model can take, except the label and the partitioning columns. Fails when the model cannot
     * be evaluated so (its task, its outputs, a label given or missing).
     *
     * @param label the label column, whose type the engine has checked
     * @return the indexes of the columns the model reads, in the order it takes them; an engine feeds the evaluator
     * those columns, named as in the input, and binds them by name again where the rows are
     */
    public static List<Integer> bind(ModelManifest manifest, List<EngineColumn> columns, Optional<Integer> label, List<Integer> partitions)
    {
        List<Integer> candidates = candidateColumns(columns, label, partitions);
        List<InputColumn> offered = candidates.stream()
                .map(index -> new InputColumn(columns.get(index).name(), columns.get(index).type().orElseThrow()))
                .collect(toImmutableList());
        PredictionPlan plan = TableCall.planByName(manifest, offered, columns);
        checkEvaluable(plan, label.map(index -> columns.get(index).type().orElseThrow()));
        Set<Integer> used = new TreeSet<>();
        plan.inputs().forEach(binding -> used.addAll(binding.columns()));
        return used.stream().map(candidates::get).collect(toImmutableList());
    }

    private static List<Integer> candidateColumns(List<EngineColumn> columns, Optional<Integer> label, List<Integer> partitions)
    {
        ImmutableList.Builder<Integer> candidates = ImmutableList.builder();
        for (int index = 0; index < columns.size(); index++) {
            EngineColumn column = columns.get(index);
            if (!column.name().isEmpty() && column.type().isPresent() && !label.equals(Optional.of(index)) && !partitions.contains(index)) {
                candidates.add(index);
            }
        }
        return candidates.build();
    }

    /**
     * Fails when a model cannot be evaluated this way: its task, its outputs, or a label given or missing.
     */
    private static void checkEvaluable(PredictionPlan plan, Optional<ColumnType> label)
    {
        resultColumns(plan, label.isPresent());
        if (plan.manifest().task() == ModelTask.REGRESSION && !(label.get() instanceof ScalarType scalar && scalar.isNumeric())) {
            throw new OnyxException(INVALID_ARGUMENT, format("Model %s is a regression model: its label must be a number, not %s", plan.manifest().reference(), label.get().displayName()));
        }
    }

    private static List<ResultColumn> resultColumns(PredictionPlan plan, boolean hasLabel)
    {
        ModelManifest manifest = plan.manifest();
        ModelTask task = manifest.task();
        if (task == ModelTask.CLUSTERING) {
            if (hasLabel) {
                throw new OnyxException(INVALID_ARGUMENT, format("Model %s is a clustering model: evaluate it without a label", manifest.reference()));
            }
            ImmutableList.Builder<ResultColumn> columns = ImmutableList.<ResultColumn>builder().add(ResultColumns.scalar(plan, ResultKind.VALUE));
            distanceColumn(plan).ifPresent(columns::add);
            return columns.build();
        }
        if (task != ModelTask.REGRESSION && task != ModelTask.CLASSIFICATION) {
            throw new OnyxException(UNSUPPORTED_MODEL, format("Model %s has task %s; evaluate supports regression, classification and clustering models", manifest.reference(), task.displayName()));
        }
        if (!hasLabel) {
            throw new OnyxException(INVALID_ARGUMENT, format("Model %s is a %s model: evaluate needs label => '<column>'", manifest.reference(), task.displayName()));
        }
        if (task == ModelTask.REGRESSION) {
            return ImmutableList.of(ResultColumns.scalar(plan, ResultKind.VALUE));
        }
        if (manifest.classLabels().isEmpty()) {
            throw new OnyxException(UNSUPPORTED_MODEL, format("Model %s is a classifier without class labels; register it with its class labels to evaluate it", manifest.reference()));
        }
        ImmutableList.Builder<ResultColumn> columns = ImmutableList.<ResultColumn>builder().add(ResultColumns.scalar(plan, ResultKind.LABEL));
        probabilityColumn(plan).ifPresent(columns::add);
        return columns.build();
    }

    private static Optional<ResultColumn> probabilityColumn(PredictionPlan plan)
    {
        try {
            return Optional.of(ResultColumns.scalar(plan, ResultKind.PROBABILITIES));
        }
        catch (OnyxException e) {
            return Optional.empty();
        }
    }

    private static Optional<ResultColumn> distanceColumn(PredictionPlan plan)
    {
        return ResultColumns.table(plan).stream()
                .filter(column -> column.type() instanceof ColumnType.ArrayType)
                .findFirst();
    }

    /**
     * Scores a batch of feature columns (bound as the plan's input columns) and counts it against the labels.
     */
    public void add(ColumnBatch features, Optional<Column> labels)
    {
        ColumnBatch predictions = ResultColumns.project(predictor.plan(), results, predictor.predict(features));
        Column first = predictions.column(0);
        Column label = labels.orElse(null);
        for (int row = 0; row < features.rowCount(); row++) {
            if (first.isNull(row) || (label != null && label.isNull(row))) {
                continue;
            }
            ModelTask task = manifest.task();
            if (task == ModelTask.REGRESSION) {
                partial.addRegression(number(label, row), ((DoubleColumn) first).values()[row]);
            }
            else if (task == ModelTask.CLASSIFICATION) {
                String truth = ClassLabels.of(label.value(row));
                int predicted = classIndexes.getOrDefault((String) first.value(row), -1);
                double[] probabilities = null;
                if (predictions.columns().size() > 1 && !predictions.column(1).isNull(row)) {
                    @SuppressWarnings("unchecked")
                    Map<String, Double> map = (Map<String, Double>) predictions.column(1).value(row);
                    probabilities = new double[manifest.classLabels().size()];
                    for (int k = 0; k < probabilities.length; k++) {
                        probabilities[k] = map.getOrDefault(manifest.classLabels().get(k), 0.0);
                    }
                }
                partial.addClassification(classIndexes.getOrDefault(truth, -1), predicted, probabilities);
            }
            else {
                double nearest = Double.NaN;
                if (predictions.columns().size() > 1 && predictions.column(1) instanceof ArrayColumn distances && !distances.isNull(row)) {
                    nearest = Double.POSITIVE_INFINITY;
                    for (Object value : (List<?>) distances.value(row)) {
                        nearest = Math.min(nearest, ((Number) value).doubleValue());
                    }
                }
                partial.addCluster(nearest);
            }
        }
    }

    public long rows()
    {
        return partial.rows();
    }

    public Map<String, Double> metrics()
    {
        return partial.metrics();
    }

    /**
     * What this evaluator counted so far, to merge with other partitions' partials.
     */
    public EvaluationMetrics partial()
    {
        return partial;
    }

    private double number(Column labels, int row)
    {
        Object value = labels.value(row);
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw new OnyxException(INVALID_ARGUMENT, format("Model %s is a regression model: its label column must hold numbers, not %s", manifest.reference(), labels.type().displayName()));
    }
}
