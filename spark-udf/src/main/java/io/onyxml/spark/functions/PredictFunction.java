package io.onyxml.spark.functions;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.EngineColumn;
import io.onyxml.inference.PredictionPlan;
import io.onyxml.inference.ResultColumns;
import io.onyxml.inference.ResultKind;
import io.onyxml.inference.ScalarCall;
import io.onyxml.spark.ExecutorModels;
import io.onyxml.spark.OnyxSparkConfig;
import io.onyxml.spark.SparkModelAccess;
import io.onyxml.spark.SparkTypes;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelReference;
import io.onyxml.store.OnyxException;
import io.onyxml.store.PinnedModel;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Cast;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.catalyst.expressions.GetStructField;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Function1;
import scala.Option;
import scala.Tuple3;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static io.onyxml.store.ModelNames.printable;
import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_INPUT;
import static io.onyxml.store.access.ModelPrivilege.READ;
import static java.lang.String.format;

/**
 * The SQL functions {@code predict}, {@code predict_label}, {@code predict_proba} and {@code predict_vector}, with
 * Trino's arguments: a constant model reference, then the features as numbers (bound by position, cast to double),
 * one array of numbers, or one struct whose field names are the model's feature names (which lets strings and
 * booleans through). Building a call resolves the reference on the driver, as of the query's moment, and checks the
 * features against that version, so a wrong query fails at analysis.
 */
public final class PredictFunction
{
    private PredictFunction() {}

    /**
     * What {@code SparkSessionExtensions.injectFunction} takes for one kind of predict function.
     */
    public static Tuple3<FunctionIdentifier, ExpressionInfo, Function1<Seq<Expression>, Expression>> registration(ResultKind kind)
    {
        String name = ResultColumns.functionName(kind);
        Function1<Seq<Expression>, Expression> builder = arguments -> build(kind, CollectionConverters.asJava(arguments));
        return new Tuple3<>(FunctionIdentifier.apply(name), info(kind), builder);
    }

    public static ExpressionInfo info(ResultKind kind)
    {
        String name = ResultColumns.functionName(kind);
        String usage = switch (kind) {
            case VALUE -> "_FUNC_(model, features...) - The model's prediction as a double: the regression value, or the predicted class of a classifier with numeric labels.";
            case LABEL -> "_FUNC_(model, features...) - The predicted label of a classifier, as a string.";
            case PROBABILITIES -> "_FUNC_(model, features...) - The class probabilities of a classifier, keyed by label.";
            case VECTOR -> "_FUNC_(model, features...) - The whole first output of a model as an array of doubles (multi-output regression, embeddings).";
        };
        String arguments = """

                    Arguments:
                      * model - a constant string: 'name' (the latest version), 'name/3' or 'name@alias'
                      * features - numbers in the model's feature order, one array of numbers, or one struct whose
                          field names are the model's feature names (named_struct('a', a, 'b', b))
                """;
        String examples = format("""

                    Examples:
                      > SELECT %s('house-prices@production', 85, 2, 12, 3.5);
                """, name);
        return new ExpressionInfo(PredictExpression.class.getName(), null, name, usage, arguments, examples, "", "", "", "", "");
    }

    static Expression build(ResultKind kind, List<Expression> arguments)
    {
        String name = ResultColumns.functionName(kind);
        if (arguments.size() < 2) {
            throw new OnyxException(INVALID_ARGUMENT, format(
                    "%1$s takes a model and the features: %1$s('model', x1, x2, ...), %1$s('model', array(...)) or %1$s('model', named_struct('feature', value, ...))",
                    name));
        }
        Expression model = arguments.get(0);
        if (model.dataType() instanceof NullType) {
            return Literal.create(null, SparkTypes.toSparkType(kind.columnType()));
        }
        if (!model.foldable() || !(model.dataType() instanceof StringType)) {
            throw new OnyxException(INVALID_ARGUMENT, format(
                    "The first argument of %s must be a constant string naming a model ('name', 'name/3' or 'name@alias'), not %s",
                    name,
                    printable(model.sql())));
        }
        Object reference = model.eval(null);
        if (reference == null) {
            return Literal.create(null, SparkTypes.toSparkType(kind.columnType()));
        }
        Features features = features(name, arguments.subList(1, arguments.size()));
        OnyxSparkConfig config = OnyxSparkConfig.from(SparkSession.active());
        ExecutorModels models = ExecutorModels.get(config);
        ModelReference parsed = ModelReference.parse(reference.toString());
        SparkModelAccess.of(SparkSession.active()).check(parsed.name(), READ);
        ModelManifest manifest = models.store().resolve(parsed, QueryMoments.current(Clock.systemUTC()));
        PredictExpression call = new PredictExpression(
                kind,
                reference.toString(),
                CollectionConverters.asScala(features.expressions()).toSeq(),
                features.fieldNames(),
                PinnedModel.of(manifest),
                config);
        // the features must bind and the model must answer this kind of call, before anything runs
        ResultColumns.scalar(PredictionPlan.create(manifest, call.layout(), call.mode()), kind);
        return call;
    }

    private record Features(List<Expression> expressions, List<String> fieldNames) {}

    private static Features features(String function, List<Expression> arguments)
    {
        if (arguments.size() == 1 && arguments.get(0).dataType() instanceof StructType struct) {
            List<Expression> fields = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<EngineColumn> columns = new ArrayList<>();
            StructField[] structFields = struct.fields();
            for (int i = 0; i < structFields.length; i++) {
                Expression field = normalized(new GetStructField(arguments.get(0), i, Option.apply(structFields[i].name())));
                fields.add(field);
                names.add(structFields[i].name());
                columns.add(new EngineColumn(structFields[i].name(), SparkTypes.toColumnType(field.dataType()), structFields[i].dataType().simpleString()));
            }
            // the core's message for a field of a type no model takes
            ScalarCall.fields(columns);
            return new Features(fields, names);
        }
        if (arguments.size() == 1 && arguments.get(0).dataType() instanceof ArrayType array && isNumber(array.elementType())) {
            return new Features(List.of(new Cast(arguments.get(0), DataTypes.createArrayType(DataTypes.DoubleType), Option.empty())), List.of());
        }
        ImmutableList.Builder<Expression> numbers = ImmutableList.builder();
        for (int i = 0; i < arguments.size(); i++) {
            Expression argument = arguments.get(i);
            if (!isNumber(argument.dataType())) {
                throw new OnyxException(INVALID_MODEL_INPUT, format(
                        "Feature %s of %s (%s) has type %s; pass numbers, one array of numbers, or one struct whose fields are named as the model's features (named_struct('a', a, ...)), which also takes strings and booleans",
                        i + 1,
                        function,
                        printable(argument.sql()),
                        printable(argument.dataType().simpleString())));
            }
            numbers.add(new Cast(argument, DataTypes.DoubleType, Option.empty()));
        }
        return new Features(numbers.build(), List.of());
    }

    /**
     * A struct field as the core takes it: decimals and NULLs as double, bytes and shorts as integer, arrays of numbers
     * as arrays of double; other types as they are.
     */
    private static Expression normalized(Expression field)
    {
        DataType type = field.dataType();
        if (type instanceof DecimalType || type instanceof NullType) {
            return new Cast(field, DataTypes.DoubleType, Option.empty());
        }
        if (type instanceof ByteType || type instanceof ShortType) {
            return new Cast(field, DataTypes.IntegerType, Option.empty());
        }
        if (type instanceof ArrayType array && isNumber(array.elementType())) {
            return new Cast(field, DataTypes.createArrayType(DataTypes.DoubleType), Option.empty());
        }
        return field;
    }

    /**
     * Numbers, and the type of a bare NULL ({@code void}), which is a missing number as in Trino.
     */
    private static boolean isNumber(DataType type)
    {
        return type instanceof NumericType || type instanceof NullType;
    }
}
