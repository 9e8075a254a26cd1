package io.onyxml.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.common.collect.ImmutableList;
import io.onyxml.inference.batch.ArrayColumn;
import io.onyxml.inference.batch.BooleanColumn;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.Columns;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.FloatColumn;
import io.onyxml.inference.batch.IntColumn;
import io.onyxml.inference.batch.LongColumn;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.inference.batch.StringColumn;
import io.onyxml.inference.binding.InputBinding;
import io.onyxml.inference.binding.OutputBinding;
import io.onyxml.inference.compiled.CompiledModel;
import io.onyxml.store.OnyxException;

import java.lang.System.Logger;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.onyxml.store.OnyxErrorCode.INFERENCE_FAILED;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_INPUT;
import static java.lang.String.format;
import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;
import static java.util.Objects.requireNonNull;

/**
 * Scores batches of rows with one model version and one column layout. Thread-safe: each call takes the loaded model
 * from the engine's cache for its duration, and each thread writes its input tensors into buffers of its own.
 */
public final class Predictor
{
    private static final Logger LOG = System.getLogger(Predictor.class.getName());

    public static final int CPU_BATCH_ROWS = 4096;
    public static final int GPU_BATCH_ROWS = 65536;

    private final PredictionPlan plan;
    private final SessionCache sessions;
    private final OrtEnvironment environment;
    private final Duration maxCallTime;
    private final Set<String> requestedOutputs;
    private final ThreadLocal<ScratchBuffers> scratch = ThreadLocal.withInitial(ScratchBuffers::new);
    // false once a call failed with pinned outputs (see run)
    private volatile boolean pinOutputs = true;

    Predictor(PredictionPlan plan, SessionCache sessions, OrtEnvironment environment, Duration maxCallTime)
    {
        this.plan = requireNonNull(plan, "plan is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.environment = requireNonNull(environment, "environment is null");
        this.maxCallTime = requireNonNull(maxCallTime, "maxCallTime is null");
        this.requestedOutputs = new LinkedHashSet<>();
        plan.outputs().forEach(output -> requestedOutputs.add(output.output().name()));
    }

    public PredictionPlan plan()
    {
        return plan;
    }

    public List<OutputColumn> outputColumns()
    {
        return plan.outputColumns();
    }

    /**
     * Scores every row of a batch laid out as the plan's input columns; returns one column per output, with one row
     * per input row. Rows with a NULL feature get NULL outputs (see {@link RowSelection}).
     */
    public ColumnBatch predict(ColumnBatch batch)
    {
        return predict(batch, false);
    }

    /**
     * Like {@link #predict}, for engines that call once per row (scalar functions): the batch, usually of one row, is
     * scored by the evaluator chosen for single rows (the compiled model where there is one), not the one for batches.
     */
    public ColumnBatch predictSingleRows(ColumnBatch batch)
    {
        return predict(batch, true);
    }

    private ColumnBatch predict(ColumnBatch batch, boolean singleRows)
    {
        checkLayout(batch);
        RowSelection selection = RowSelection.select(plan, batch);
        ColumnBatch.Builder result = ColumnBatch.builder(batch.rowCount());
        if (selection.count() == 0) {
            for (OutputColumn column : plan.outputColumns()) {
                result.add(column.name(), Columns.allNull(column.type(), batch.rowCount()));
            }
            return result.build();
        }
        List<Column> outputs = run(batch, selection, singleRows);
        for (int i = 0; i < outputs.size(); i++) {
            Column column = selection.isAll() ? outputs.get(i) : Columns.scatter(outputs.get(i), selection.rows(), batch.rowCount());
            result.add(plan.outputs().get(i).column().name(), column);
        }
        return result.build();
    }

    /**
     * Scores one row given as Java values in the order of the plan's input columns ({@code Double}, {@code Float},
     * {@code Long}, {@code Integer}, {@code Boolean}, {@code String}, {@code List} of numbers for arrays, or null).
     * Returns output name to value. Each call is a whole ONNX Runtime call: use {@link #predict} for many rows.
     */
    public Map<String, Object> predictRow(Object... values)
    {
        if (values.length != plan.inputColumns().size()) {
            throw new OnyxException(INVALID_MODEL_INPUT, format("Model %s was planned for %s values, got %s", plan.manifest().reference(), plan.inputColumns().size(), values.length));
        }
        ColumnBatch.Builder batch = ColumnBatch.builder(1);
        for (int i = 0; i < values.length; i++) {
            InputColumn column = plan.inputColumns().get(i);
            batch.add(column.name(), singleValue(column, values[i]));
        }
        ColumnBatch output = predict(batch.build());
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < output.columns().size(); i++) {
            row.put(output.names().get(i), output.column(i).value(0));
        }
        return row;
    }

    private List<Column> run(ColumnBatch batch, RowSelection selection, boolean singleRows)
    {
        ScratchBuffers buffers = scratch.get();
        List<InputBinding> inputs = plan.inputs();
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        Map<String, OnnxTensor> pinned = new LinkedHashMap<>();
        try (LoadedModel.Lease lease = sessions.acquire(plan.manifest())) {
            LoadedModel model = lease.model();
            EvaluatorChoice evaluators = model.evaluators();
            if ((singleRows ? evaluators.rows() : evaluators.forBatch(selection.count())) == Evaluator.COMPILED) {
                return CompiledBatch.run(plan, model.evaluators().compiled().orElseThrow(), model.frame(), batch, selection, buffers);
            }
            for (int slot = 0; slot < inputs.size(); slot++) {
                InputBinding binding = inputs.get(slot);
                tensors.put(binding.input().name(), InputTensors.create(environment, plan.manifest(), binding, batch, selection, buffers, slot));
            }
            Set<String> allocated = requestedOutputs;
            if (pinOutputs) {
                allocated = new LinkedHashSet<>();
                for (int index = 0; index < plan.outputs().size(); index++) {
                    OutputBinding output = plan.outputs().get(index);
                    if (PinnedOutputs.isPinnable(output, selection.count())) {
                        pinned.put(output.output().name(), PinnedOutputs.create(environment, output, selection.count(), buffers, inputs.size() + index));
                    }
                    else {
                        allocated.add(output.output().name());
                    }
                }
            }
            CallWatchdog.Call call = CallWatchdog.begin(maxCallTime);
            try (OrtSession.Result result = run(lease.model().session(), tensors, allocated, pinned, call)) {
                ImmutableList.Builder<Column> columns = ImmutableList.builder();
                for (OutputBinding output : plan.outputs()) {
                    OnnxValue value = result.get(output.output().name())
                            .orElseThrow(() -> new OnyxException(INFERENCE_FAILED, format("Model %s returned no output '%s'", plan.manifest().reference(), output.output().name())));
                    columns.add(OutputReader.read(plan.manifest(), output, value, selection.count()));
                }
                return columns.build();
            }
            finally {
                call.end();
            }
        }
        catch (OrtException e) {
            // the raw text names the runtime's source files; users get it cleaned, the server log whole
            LOG.log(WARNING, format("ONNX Runtime failed to score model %s", plan.manifest().reference()), e);
            throw new OnyxException(INFERENCE_FAILED, format("ONNX Runtime failed to score model %s: %s", plan.manifest().reference(), OrtMessages.clean(e.getMessage())));
        }
        finally {
            tensors.values().forEach(OnnxTensor::close);
            pinned.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * Runs the session with the outputs pinned where possible. A model whose outputs do not have the shapes its file
     * declares fails with them pinned: it is run again without, and this predictor stops pinning.
     */
    private OrtSession.Result run(OrtSession session, Map<String, OnnxTensor> inputs, Set<String> allocated, Map<String, OnnxTensor> pinned, CallWatchdog.Call call)
            throws OrtException
    {
        try {
            if (pinned.isEmpty()) {
                return session.run(inputs, allocated, call.options());
            }
            try {
                return session.run(inputs, allocated, pinned, call.options());
            }
            catch (OrtException e) {
                if (call.terminated()) {
                    throw e;
                }
                LOG.log(DEBUG, format("Model %s failed with pinned outputs; scoring it without", plan.manifest().reference()), e);
                pinOutputs = false;
                return session.run(inputs, requestedOutputs, call.options());
            }
        }
        catch (OrtException e) {
            if (call.terminated()) {
                throw new OnyxException(INFERENCE_FAILED, format(
                        "Model %s took longer than %s to score one batch, the longest a model call may run (the model call time limit); it was stopped",
                        plan.manifest().reference(),
                        describe(maxCallTime)));
            }
            throw e;
        }
    }

    private static String describe(Duration duration)
    {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    /**
     * Rows per call of the model that suit the device it runs on, unless configured: {@value #CPU_BATCH_ROWS} on the
     * CPU (the inputs, activations and outputs of one call stay within a core's caches) and {@value #GPU_BATCH_ROWS}
     * on a GPU (a transfer and a kernel launch per call are amortised over many rows). Loads the model if needed.
     *
     * @param configured rows per call set by the user, or 0 for the device's default
     */
    public int batchRows(int configured)
    {
        if (configured > 0) {
            return configured;
        }
        try (LoadedModel.Lease lease = sessions.acquire(plan.manifest())) {
            return lease.model().device().isGpu() && lease.model().evaluators().batches() == Evaluator.ONNX_RUNTIME ? GPU_BATCH_ROWS : CPU_BATCH_ROWS;
        }
    }

    /**
     * The compiled model that serves this plan's rows one at a time, loading the model if needed; empty when ONNX
     * Runtime serves them. The compiled model is plain Java: it stays valid after the session is unloaded.
     */
    public Optional<CompiledModel> compiledForRows()
    {
        try (LoadedModel.Lease lease = sessions.acquire(plan.manifest())) {
            EvaluatorChoice evaluators = lease.model().evaluators();
            return evaluators.rows() == Evaluator.COMPILED ? evaluators.compiled() : Optional.empty();
        }
    }

    private void checkLayout(ColumnBatch batch)
    {
        List<InputColumn> expected = plan.inputColumns();
        boolean matches = batch.columns().size() == expected.size();
        for (int i = 0; matches && i < expected.size(); i++) {
            matches = batch.column(i).type().equals(expected.get(i).type());
        }
        if (!matches) {
            throw new IllegalArgumentException(format(
                    "batch columns %s do not match the planned columns %s",
                    batch.columns().stream().map(column -> column.type().displayName()).toList(),
                    expected));
        }
    }

    private Column singleValue(InputColumn column, Object value)
    {
        try {
            if (column.type() instanceof ColumnType.ArrayType array) {
                List<?> elements = value == null ? List.of() : (List<?>) value;
                return new ArrayColumn(new int[] {0, elements.size()}, elements(array.elementType(), elements), new boolean[] {value == null});
            }
            return elements((ScalarType) column.type(), Collections.singletonList(value));
        }
        catch (ClassCastException e) {
            throw new OnyxException(INVALID_MODEL_INPUT, format(
                    "Model %s: value for column '%s' must be of type %s, got %s",
                    plan.manifest().reference(),
                    column.name(),
                    column.type().displayName(),
                    value.getClass().getSimpleName()), e);
        }
    }

    private static Column elements(ScalarType type, List<?> values)
    {
        int size = values.size();
        boolean[] nulls = new boolean[size];
        for (int i = 0; i < size; i++) {
            nulls[i] = values.get(i) == null;
        }
        switch (type) {
            case DOUBLE: {
                double[] array = new double[size];
                for (int i = 0; i < size; i++) {
                    array[i] = nulls[i] ? 0 : ((Number) values.get(i)).doubleValue();
                }
                return new DoubleColumn(array, nulls);
            }
            case FLOAT: {
                float[] array = new float[size];
                for (int i = 0; i < size; i++) {
                    array[i] = nulls[i] ? 0 : ((Number) values.get(i)).floatValue();
                }
                return new FloatColumn(array, nulls);
            }
            case BIGINT: {
                long[] array = new long[size];
                for (int i = 0; i < size; i++) {
                    array[i] = nulls[i] ? 0 : ((Number) values.get(i)).longValue();
                }
                return new LongColumn(array, nulls);
            }
            case INTEGER: {
                int[] array = new int[size];
                for (int i = 0; i < size; i++) {
                    array[i] = nulls[i] ? 0 : ((Number) values.get(i)).intValue();
                }
                return new IntColumn(array, nulls);
            }
            case BOOLEAN: {
                boolean[] array = new boolean[size];
                for (int i = 0; i < size; i++) {
                    array[i] = !nulls[i] && (Boolean) values.get(i);
                }
                return new BooleanColumn(array, nulls);
            }
            case VARCHAR:
                return new StringColumn(values.stream().map(value -> value == null ? null : value.toString()).toArray(String[]::new));
        }
        throw new IllegalStateException("unknown type " + type);
    }
}
