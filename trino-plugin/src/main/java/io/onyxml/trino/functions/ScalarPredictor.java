package io.onyxml.trino.functions;

import com.google.common.cache.Cache;
import com.google.common.collect.ImmutableList;
import io.airlift.slice.Slice;
import io.onyxml.inference.BindingMode;
import io.onyxml.inference.InputColumn;
import io.onyxml.inference.ResultKind;
import io.onyxml.inference.RowScorer;
import io.onyxml.inference.ScalarCall;
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
import io.trino.spi.block.Block;
import io.trino.spi.block.SqlRow;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.type.ArrayType;
import io.trino.spi.type.RowType;
import io.trino.spi.type.Type;

import java.util.List;
import java.util.Optional;

import static com.google.common.collect.ImmutableList.toImmutableList;
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
    private final Cache<QueryReference, ScalarCall> calls = EvictableCacheBuilder.newBuilder()
            .expireAfterWrite(2, MINUTES)
            .maximumSize(1_000)
            .build();
    // the call of the last row scored, so that the rows of a query cost a comparison instead of a cache lookup
    private volatile ResolvedCall last;

    ScalarPredictor(ResultKind kind, Type returnType, List<Type> argumentTypes, OnyxModels models)
    {
        this.kind = requireNonNull(kind, "kind is null");
        this.returnType = requireNonNull(returnType, "returnType is null");
        this.featureTypes = ImmutableList.copyOf(argumentTypes.subList(1, argumentTypes.size()));
        this.models = requireNonNull(models, "models is null");
        if (featureTypes.size() == 1 && featureTypes.get(0) instanceof RowType row) {
            mode = BindingMode.BY_NAME;
            layout = TrinoErrors.translated(() -> ScalarCall.fields(TypeMapping.engineColumns(row.getFields())));
        }
        else {
            mode = BindingMode.BY_POSITION;
            layout = ScalarCall.arguments(featureTypes.stream().map(type -> TypeMapping.toColumnType(type).orElseThrow()).collect(toImmutableList()));
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
            ScalarCall call = call(session, reference);
            ColumnBatch.Builder row = ColumnBatch.builder(1);
            for (int i = 0; i < layout.size(); i++) {
                row.add(layout.get(i).name(), featureColumn(i, arguments));
            }
            return BlockColumns.nativeValue(returnType, call.scoreSingleRows(row.build()), 0);
        }
        catch (OnyxException e) {
            throw TrinoErrors.toTrinoException(e);
        }
    }

    /**
     * The implementation behind the method handle of the numbers form: the features as primitive doubles with their
     * NULL flags, collected into arrays by the handle. A compiled model scores them directly (see
     * {@link io.onyxml.inference.RowScorer}); otherwise they are scored as a batch of one row.
     */
    public Object predictNumbers(ConnectorSession session, Slice reference, double[] values, boolean[] nulls)
    {
        if (reference == null) {
            return null;
        }
        try {
            ScalarCall call = call(session, reference);
            Optional<RowScorer> scorer = call.rowScorer();
            if (scorer.isPresent()) {
                return scorer.get().score(values, nulls);
            }
            ColumnBatch.Builder row = ColumnBatch.builder(1);
            for (int i = 0; i < layout.size(); i++) {
                row.add(layout.get(i).name(), new DoubleColumn(new double[] {values[i]}, nulls[i] ? new boolean[] {true} : null));
            }
            return BlockColumns.nativeValue(returnType, call.scoreSingleRows(row.build()), 0);
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

    private ScalarCall call(ConnectorSession session, Slice reference)
    {
        ResolvedCall seen = last;
        String queryId = session.getQueryId();
        if (seen != null && seen.queryId().equals(queryId) && seen.reference().equals(reference)) {
            return seen.call();
        }
        ScalarCall call = call(session, reference.toStringUtf8());
        last = new ResolvedCall(queryId, reference.copy(), call);
        return call;
    }

    private ScalarCall call(ConnectorSession session, String reference)
    {
        return Caches.get(calls, new QueryReference(session.getQueryId(), reference), () -> {
            ModelManifest manifest = models.resolve(reference, session);
            return TrinoErrors.translated(() -> ScalarCall.prepare(models.engine(), manifest, layout, mode, kind));
        });
    }

    private record QueryReference(String queryId, String reference) {}

    private record ResolvedCall(String queryId, Slice reference, ScalarCall call) {}
}
