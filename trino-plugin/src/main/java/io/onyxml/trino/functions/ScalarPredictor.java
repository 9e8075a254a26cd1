package io.onyxml.trino.functions;

import com.google.common.cache.Cache;
import com.google.common.collect.ImmutableList;
import io.airlift.slice.Slice;
import io.onyxml.inference.BindingMode;
import io.onyxml.inference.InputColumn;
import io.onyxml.inference.PredictionPlan;
import io.onyxml.inference.Predictor;
import io.onyxml.inference.ResultColumn;
import io.onyxml.inference.ResultColumns;
import io.onyxml.inference.ResultKind;
import io.onyxml.inference.batch.ArrayColumn;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.OnyxException;
import io.onyxml.trino.BlockColumns;
import io.onyxml.trino.Caches;
import io.onyxml.trino.OnyxModels;
import io.onyxml.trino.TrinoErrors;
import io.onyxml.trino.TypeMapping;
import io.trino.cache.EvictableCacheBuilder;
import io.trino.spi.TrinoException;
import io.trino.spi.block.Block;
import io.trino.spi.block.SqlRow;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.type.ArrayType;
import io.trino.spi.type.RowType;
import io.trino.spi.type.Type;

import java.util.List;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.trino.OnyxErrorCode.ONYX_INVALID_MODEL_INPUT;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.MINUTES;

/**
 * One bound form of a scalar predict function (its kind and argument types): scores one row per call. A reference is
 * resolved once per query and node, as of the query's start (see {@link OnyxModels#resolve}), so that every row of a
 * query is scored with one version; the plan for it is kept while the query runs.
 */
final class ScalarPredictor
{
    private final ResultKind kind;
    private final Type returnType;
    private final List<Type> featureTypes;
    private final List<InputColumn> layout;
    private final BindingMode mode;
    private final OnyxModels models;
    // resolving again after an eviction gives the same version, since it is resolved as of the query's start
    private final Cache<QueryReference, Scorer> scorers = EvictableCacheBuilder.newBuilder()
            .expireAfterWrite(2, MINUTES)
            .maximumSize(1_000)
            .build();

    ScalarPredictor(ResultKind kind, Type returnType, List<Type> argumentTypes, OnyxModels models)
    {
        this.kind = requireNonNull(kind, "kind is null");
        this.returnType = requireNonNull(returnType, "returnType is null");
        this.featureTypes = ImmutableList.copyOf(argumentTypes.subList(1, argumentTypes.size()));
        this.models = requireNonNull(models, "models is null");
        if (featureTypes.size() == 1 && featureTypes.get(0) instanceof RowType row) {
            // a row binds its fields to features by name
            mode = BindingMode.BY_NAME;
            layout = row.getFields().stream()
                    .map(field -> new InputColumn(field.getName().orElse(""), TypeMapping.toColumnType(field.getType()).orElseThrow(() -> new TrinoException(
                            ONYX_INVALID_MODEL_INPUT,
                            format("Field '%s' of type %s cannot be passed to a model; use double, real, bigint, integer, boolean, varchar or arrays of numbers", field.getName().orElse(""), field.getType())))))
                    .collect(toImmutableList());
        }
        else {
            mode = BindingMode.BY_POSITION;
            ImmutableList.Builder<InputColumn> columns = ImmutableList.builder();
            for (int i = 0; i < featureTypes.size(); i++) {
                columns.add(new InputColumn("feature_" + (i + 1), TypeMapping.toColumnType(featureTypes.get(i)).orElseThrow()));
            }
            layout = columns.build();
        }
    }

    /**
     * The implementation behind the method handle: {@code arguments[0]} is the model reference, the rest the features
     * in Trino's native Java form; NULL features give NULL.
     */
    public Object predict(ConnectorSession session, Object[] arguments)
    {
        Slice reference = (Slice) arguments[0];
        if (reference == null) {
            return null;
        }
        try {
            Scorer scorer = scorer(session, reference.toStringUtf8());
            ColumnBatch.Builder row = ColumnBatch.builder(1);
            for (int i = 0; i < layout.size(); i++) {
                row.add(layout.get(i).name(), featureColumn(i, arguments));
            }
            ColumnBatch outputs = scorer.predictor().predict(row.build());
            Column result = ResultColumns.project(scorer.plan(), List.of(scorer.result()), outputs).column(0);
            return BlockColumns.nativeValue(returnType, result, 0);
        }
        catch (OnyxException e) {
            throw TrinoErrors.toTrinoException(e);
        }
    }

    private Column featureColumn(int index, Object[] arguments)
    {
        if (mode == BindingMode.BY_NAME) {
            SqlRow row = (SqlRow) arguments[1];
            if (row == null) {
                return BlockColumns.singleValue(((RowType) featureTypes.get(0)).getFields().get(index).getType(), null);
            }
            Block field = row.getRawFieldBlock(index).getRegion(row.getRawIndex(), 1);
            return BlockColumns.toColumn(((RowType) featureTypes.get(0)).getFields().get(index).getType(), field);
        }
        Object value = arguments[index + 1];
        Type type = featureTypes.get(index);
        if (type instanceof ArrayType arrayType) {
            if (value == null) {
                return new ArrayColumn(new int[] {0, 0}, DoubleColumn.of(), new boolean[] {true});
            }
            Block elements = (Block) value;
            return new ArrayColumn(new int[] {0, elements.getPositionCount()}, BlockColumns.toColumn(arrayType.getElementType(), elements), null);
        }
        if (value instanceof Double number) {
            return DoubleColumn.of(number);
        }
        return BlockColumns.singleValue(type, value);
    }

    private Scorer scorer(ConnectorSession session, String reference)
    {
        return Caches.get(scorers, new QueryReference(session.getQueryId(), reference), () -> {
            ModelManifest manifest = models.resolve(reference, session);
            PredictionPlan plan = TrinoErrors.translated(() -> PredictionPlan.create(manifest, layout, mode));
            ResultColumn result = TrinoErrors.translated(() -> ResultColumns.scalar(plan, kind));
            return new Scorer(plan, result, models.engine().predictor(plan));
        });
    }

    private record QueryReference(String queryId, String reference) {}

    private record Scorer(PredictionPlan plan, ResultColumn result, Predictor predictor) {}
}
