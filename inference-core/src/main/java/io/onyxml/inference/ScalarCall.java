package io.onyxml.inference;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.OnyxException;

import java.util.List;
import java.util.Optional;

import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_INPUT;
import static java.util.Objects.requireNonNull;

/**
 * What a scalar predict call ({@code predict}, {@code predict_label}, {@code predict_proba}, {@code predict_vector})
 * means, the same in every engine: its features are separate arguments (bound by position, named
 * {@code feature_1, feature_2, ...} in messages) or one struct whose fields bind by name; the call returns one column
 * of the model's results, chosen by {@link ResultColumns#scalar} from the kind of function; a row is scored as a
 * batch: predict, project, the first column.
 */
public final class ScalarCall
{
    private final PredictionPlan plan;
    private final ResultColumn result;
    private final Predictor predictor;
    // decided at the first row, when the model is loaded
    private volatile Optional<RowScorer> rowScorer;

    private ScalarCall(PredictionPlan plan, ResultColumn result, Predictor predictor)
    {
        this.plan = plan;
        this.result = result;
        this.predictor = predictor;
    }

    /**
     * The columns of positional arguments, in order.
     */
    public static List<InputColumn> arguments(List<ColumnType> types)
    {
        ImmutableList.Builder<InputColumn> columns = ImmutableList.builder();
        for (int i = 0; i < types.size(); i++) {
            columns.add(new InputColumn("feature_" + (i + 1), types.get(i)));
        }
        return columns.build();
    }

    /**
     * The columns of one struct argument, bound by field name.
     */
    public static List<InputColumn> fields(List<EngineColumn> fields)
    {
        ImmutableList.Builder<InputColumn> columns = ImmutableList.builder();
        for (EngineColumn field : fields) {
            columns.add(new InputColumn(field.name(), field.type().orElseThrow(() -> new OnyxException(
                    INVALID_MODEL_INPUT,
                    EngineColumn.unsupportedType("Field", field.name(), field.engineType())))));
        }
        return columns.build();
    }

    /**
     * Plans the call for one version; the engine keeps it for the query, so that every row uses that version.
     */
    public static ScalarCall prepare(InferenceEngine engine, ModelManifest manifest, List<InputColumn> layout, BindingMode mode, ResultKind kind)
    {
        PredictionPlan plan = PredictionPlan.create(manifest, layout, mode);
        return new ScalarCall(plan, ResultColumns.scalar(plan, kind), engine.predictor(plan));
    }

    public ResultColumn result()
    {
        return result;
    }

    /**
     * Rows per call suited to the device the model runs on, unless configured; see {@link Predictor#batchRows}.
     */
    public int batchRows(int configured)
    {
        return predictor.batchRows(configured);
    }

    /**
     * The columns a batch given to {@link #score} holds, in order.
     */
    public List<InputColumn> layout()
    {
        return plan.inputColumns();
    }

    /**
     * Like {@link #score}, for engines that call once per row: scored by the evaluator chosen for single rows.
     */
    public Column scoreSingleRows(ColumnBatch rows)
    {
        requireNonNull(rows, "rows is null");
        return ResultColumns.project(plan, List.of(result), predictor.predictSingleRows(rows)).column(0);
    }

    /**
     * The fast path for one row of double arguments, when the model is compiled and the call returns a number from
     * float or double inputs; loads the model on first use.
     */
    public Optional<RowScorer> rowScorer()
    {
        Optional<RowScorer> scorer = rowScorer;
        if (scorer == null) {
            scorer = predictor.compiledForRows().flatMap(model -> RowScorer.of(plan, result, model));
            rowScorer = scorer;
        }
        return scorer;
    }

    /**
     * The call's value for the rows of a batch (one row per call in engines that call scalar functions row by row).
     */
    public Column score(ColumnBatch rows)
    {
        requireNonNull(rows, "rows is null");
        return ResultColumns.project(plan, List.of(result), predictor.predict(rows)).column(0);
    }
}
