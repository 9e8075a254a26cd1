package io.onyxml.spark.functions;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.BindingMode;
import io.onyxml.inference.EngineColumn;
import io.onyxml.inference.InputColumn;
import io.onyxml.inference.ResultColumns;
import io.onyxml.inference.ResultKind;
import io.onyxml.inference.ScalarCall;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.spark.ExecutorModels;
import io.onyxml.spark.OnyxSparkConfig;
import io.onyxml.spark.SparkTypes;
import io.onyxml.spark.execution.CatalystValues;
import io.onyxml.spark.execution.FeatureColumns;
import io.onyxml.store.PinnedModel;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenContext;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenFallback;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import org.apache.spark.sql.types.DataType;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.joining;

/**
 * One call of {@code predict}, {@code predict_label}, {@code predict_proba} or {@code predict_vector} in a Spark plan,
 * with the model version its reference named when the query was analysed (checked by checksum where it runs). Its
 * children are the features as the model takes them: numbers cast to double (bound by position), one array of
 * doubles, or the fields of one struct (bound by the field names). The {@code BatchPredictions} rule moves calls in
 * projections, filters, sorts and aggregations' inputs into a batching operator; a call anywhere else (a join
 * condition, an aggregation's result) is evaluated here, one row per ONNX Runtime call.
 */
public final class PredictExpression
        extends Expression
        implements CodegenFallback, Serializable
{
    private final ResultKind kind;
    private final String reference;
    private final Seq<Expression> features;
    private final List<String> fieldNames;
    private final PinnedModel model;
    private final OnyxSparkConfig config;
    private transient ScalarCall call;

    /**
     * @param reference the reference as written, for messages and the plan's text
     * @param fieldNames the feature names when the features came as one struct, or empty when bound by position
     */
    public PredictExpression(ResultKind kind, String reference, Seq<Expression> features, List<String> fieldNames, PinnedModel model, OnyxSparkConfig config)
    {
        this.kind = requireNonNull(kind, "kind is null");
        this.reference = requireNonNull(reference, "reference is null");
        this.features = requireNonNull(features, "features is null");
        this.fieldNames = ImmutableList.copyOf(fieldNames);
        this.model = requireNonNull(model, "model is null");
        this.config = requireNonNull(config, "config is null");
    }

    public ResultKind kind()
    {
        return kind;
    }

    public PinnedModel model()
    {
        return model;
    }

    public OnyxSparkConfig config()
    {
        return config;
    }

    public List<Expression> features()
    {
        return CollectionConverters.asJava(features);
    }

    public BindingMode mode()
    {
        return fieldNames.isEmpty() ? BindingMode.BY_POSITION : BindingMode.BY_NAME;
    }

    /**
     * The columns the features are to the model: {@code feature_1, feature_2, ...} by position, or the struct's
     * fields by name, typed as the core maps Spark's types.
     */
    public List<InputColumn> layout()
    {
        List<Expression> children = features();
        List<ColumnType> types = children.stream().map(child -> SparkTypes.toColumnType(child.dataType()).orElseThrow()).toList();
        if (fieldNames.isEmpty()) {
            return ScalarCall.arguments(types);
        }
        ImmutableList.Builder<EngineColumn> fields = ImmutableList.builder();
        for (int i = 0; i < fieldNames.size(); i++) {
            fields.add(new EngineColumn(fieldNames.get(i), Optional.of(types.get(i)), children.get(i).dataType().simpleString()));
        }
        return ScalarCall.fields(fields.build());
    }

    /**
     * The call, planned for the pinned version where it runs.
     */
    public ScalarCall prepare()
    {
        return ExecutorModels.get(config).scalarCall(model, layout(), mode(), kind);
    }

    @Override
    public Seq<Expression> children()
    {
        return features;
    }

    @Override
    public DataType dataType()
    {
        return SparkTypes.toSparkType(kind.columnType());
    }

    @Override
    public boolean nullable()
    {
        return true;
    }

    @Override
    public Object eval(InternalRow input)
    {
        if (call == null) {
            call = prepare();
        }
        List<Expression> children = features();
        GenericInternalRow values = new GenericInternalRow(children.size());
        for (int i = 0; i < children.size(); i++) {
            values.update(i, children.get(i).eval(input));
        }
        List<InputColumn> layout = call.layout();
        ColumnBatch.Builder row = ColumnBatch.builder(1);
        for (int i = 0; i < layout.size(); i++) {
            FeatureColumns.Builder column = FeatureColumns.builder(layout.get(i).type(), 1);
            column.add(values, i);
            row.add(layout.get(i).name(), column.build());
        }
        return CatalystValues.value(call.scoreSingleRows(row.build()), 0);
    }

    @Override
    public ExprCode doGenCode(CodegenContext context, ExprCode expression)
    {
        return CodegenFallback.super.doGenCode(context, expression);
    }

    @Override
    public Expression withNewChildrenInternal(IndexedSeq<Expression> newChildren)
    {
        return new PredictExpression(kind, reference, newChildren, fieldNames, model, config);
    }

    @Override
    public String prettyName()
    {
        return ResultColumns.functionName(kind);
    }

    @Override
    public String sql()
    {
        return prettyName() + "('" + reference.replace("'", "''") + "', " + features().stream().map(Expression::sql).collect(joining(", ")) + ")";
    }

    @Override
    public String toString()
    {
        return prettyName() + "(" + model.name() + "/" + model.version() + ", " + features().stream().map(Expression::toString).collect(joining(", ")) + ")";
    }

    @Override
    public int productArity()
    {
        return 6;
    }

    @Override
    public Object productElement(int index)
    {
        return switch (index) {
            case 0 -> kind;
            case 1 -> reference;
            case 2 -> features;
            case 3 -> fieldNames;
            case 4 -> model;
            case 5 -> config;
            default -> throw new IndexOutOfBoundsException(index);
        };
    }

    @Override
    public boolean canEqual(Object other)
    {
        return other instanceof PredictExpression;
    }

    @Override
    public boolean equals(Object other)
    {
        if (this == other) {
            return true;
        }
        return other instanceof PredictExpression that
                && kind == that.kind
                && reference.equals(that.reference)
                && features.equals(that.features)
                && fieldNames.equals(that.fieldNames)
                && model.equals(that.model)
                && config.equals(that.config);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(kind, reference, features, fieldNames, model, config);
    }
}
