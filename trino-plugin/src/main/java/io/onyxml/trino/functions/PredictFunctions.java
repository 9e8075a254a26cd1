package io.onyxml.trino.functions;

import com.google.common.collect.ImmutableList;
import com.google.common.primitives.Primitives;
import com.google.inject.Inject;
import io.airlift.slice.Slice;
import io.onyxml.inference.ResultKind;
import io.onyxml.trino.OnyxModels;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.function.BoundSignature;
import io.trino.spi.function.FunctionId;
import io.trino.spi.function.FunctionMetadata;
import io.trino.spi.function.InvocationConvention;
import io.trino.spi.function.InvocationConvention.InvocationArgumentConvention;
import io.trino.spi.function.ScalarFunctionAdapter;
import io.trino.spi.function.ScalarFunctionImplementation;
import io.trino.spi.function.Signature;
import io.trino.spi.type.ArrayType;
import io.trino.spi.type.MapType;
import io.trino.spi.type.Type;
import io.trino.spi.type.TypeOperators;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;

import static io.onyxml.trino.spi.FunctionSignatures.rowArgument;
import static io.trino.spi.function.InvocationConvention.InvocationArgumentConvention.BOXED_NULLABLE;
import static io.trino.spi.function.InvocationConvention.InvocationArgumentConvention.NULL_FLAG;
import static io.trino.spi.function.InvocationConvention.InvocationReturnConvention.NULLABLE_RETURN;
import static io.trino.spi.type.DoubleType.DOUBLE;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.lang.invoke.MethodHandles.lookup;
import static java.lang.invoke.MethodType.methodType;
import static java.util.Collections.nCopies;
import static java.util.Objects.requireNonNull;

/**
 * The scalar functions {@code predict}, {@code predict_label}, {@code predict_proba} and {@code predict_vector}. Each
 * takes the model reference first, then the features in one of three forms: numbers as separate arguments (variadic,
 * in the model's feature order), one {@code array(double)}, or one {@code row} whose field names are the model's
 * feature names (which lets varchar and boolean features through). NULL features give NULL. Every row of a query is
 * scored with the version its reference named when the query started, on every node.
 */
public final class PredictFunctions
{
    private static final Type TEXT = VARCHAR;
    private static final Type NUMBER = DOUBLE;

    private static final List<FunctionMetadata> FUNCTIONS = ImmutableList.<FunctionMetadata>builder()
            .addAll(forms("predict", NUMBER, "Predicts with an ONNX model: the regression value, or the predicted class of a classifier with numeric labels"))
            .addAll(forms("predict_label", TEXT, "Predicts the label of a classifier"))
            .addAll(forms("predict_proba", new MapType(TEXT, NUMBER, new TypeOperators()), "Predicts the class probabilities of a classifier, keyed by label"))
            .addAll(forms("predict_vector", new ArrayType(NUMBER), "Predicts the whole first output of a model (multi-output regression, embeddings)"))
            .build();

    private static final MethodHandle PREDICT;
    private static final MethodHandle PREDICT_NUMBERS;

    static {
        try {
            PREDICT = lookup().findVirtual(ScalarPredictor.class, "predict", methodType(Object.class, ConnectorSession.class, Object[].class));
            PREDICT_NUMBERS = lookup().findVirtual(ScalarPredictor.class, "predictNumbers", methodType(Object.class, ConnectorSession.class, Slice.class, double[].class, boolean[].class));
        }
        catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private final OnyxModels models;

    @Inject
    public PredictFunctions(OnyxModels models)
    {
        this.models = requireNonNull(models, "models is null");
    }

    public static List<FunctionMetadata> functions()
    {
        return FUNCTIONS;
    }

    public static boolean isPredictFunction(FunctionId functionId)
    {
        return FUNCTIONS.stream().anyMatch(function -> function.getFunctionId().equals(functionId));
    }

    public ScalarFunctionImplementation implementation(FunctionId functionId, BoundSignature boundSignature, InvocationConvention convention)
    {
        ResultKind kind = kind(functionId);
        ScalarPredictor predictor = new ScalarPredictor(kind, boundSignature.getReturnType(), boundSignature.getArgumentTypes(), models);
        if (functionId.toString().endsWith("$numbers")) {
            return numbersImplementation(predictor, boundSignature, convention);
        }
        int arity = boundSignature.getArity();
        List<Class<?>> parameters = new ArrayList<>();
        // the session comes first: a reference is resolved once per query, as of the query's start
        parameters.add(ConnectorSession.class);
        boundSignature.getArgumentTypes().forEach(type -> parameters.add(Primitives.wrap(type.getJavaType())));
        Type returnType = boundSignature.getReturnType();
        MethodHandle handle = PREDICT.bindTo(predictor)
                .asCollector(Object[].class, arity)
                .asType(methodType(Primitives.wrap(returnType.getJavaType()), parameters));
        InvocationConvention actual = new InvocationConvention(nCopies(arity, BOXED_NULLABLE), NULLABLE_RETURN, true, false);
        handle = ScalarFunctionAdapter.adapt(handle, returnType, boundSignature.getArgumentTypes(), actual, convention);
        return ScalarFunctionImplementation.builder().methodHandle(handle).build();
    }

    /**
     * The numbers form takes primitive doubles with NULL flags ({@code NULL_FLAG}): the handle collects them into a
     * {@code double[]} and a {@code boolean[]}, so that no feature is boxed.
     */
    private static ScalarFunctionImplementation numbersImplementation(ScalarPredictor predictor, BoundSignature boundSignature, InvocationConvention convention)
    {
        int features = boundSignature.getArity() - 1;
        MethodHandle collected = PREDICT_NUMBERS.bindTo(predictor)
                .asCollector(3, boolean[].class, features)
                .asCollector(2, double[].class, features);
        // from (session, reference, d1..dk, n1..nk) to the convention's order (session, reference, d1, n1, ..., dk, nk)
        List<Class<?>> parameters = new ArrayList<>();
        parameters.add(ConnectorSession.class);
        parameters.add(Slice.class);
        int[] reorder = new int[2 + 2 * features];
        reorder[0] = 0;
        reorder[1] = 1;
        for (int i = 0; i < features; i++) {
            parameters.add(double.class);
            parameters.add(boolean.class);
            reorder[2 + i] = 2 + 2 * i;
            reorder[2 + features + i] = 3 + 2 * i;
        }
        Type returnType = boundSignature.getReturnType();
        MethodHandle handle = MethodHandles.permuteArguments(collected, methodType(Object.class, parameters), reorder)
                .asType(methodType(Primitives.wrap(returnType.getJavaType()), parameters));
        List<InvocationArgumentConvention> arguments = new ArrayList<>();
        arguments.add(BOXED_NULLABLE);
        arguments.addAll(nCopies(features, NULL_FLAG));
        InvocationConvention actual = new InvocationConvention(arguments, NULLABLE_RETURN, true, false);
        handle = ScalarFunctionAdapter.adapt(handle, returnType, boundSignature.getArgumentTypes(), actual, convention);
        return ScalarFunctionImplementation.builder().methodHandle(handle).build();
    }

    private static ResultKind kind(FunctionId functionId)
    {
        String id = functionId.toString();
        String name = id.substring(0, id.lastIndexOf('$'));
        return switch (name) {
            case "predict" -> ResultKind.VALUE;
            case "predict_label" -> ResultKind.LABEL;
            case "predict_proba" -> ResultKind.PROBABILITIES;
            case "predict_vector" -> ResultKind.VECTOR;
            default -> throw new IllegalArgumentException("Unknown function: " + functionId);
        };
    }

    private static List<FunctionMetadata> forms(String name, Type returnType, String description)
    {
        return ImmutableList.of(
                function(name, "numbers", description + "; features as numbers in the model's feature order", Signature.builder()
                        .returnType(returnType)
                        .argumentType(TEXT)
                        .argumentType(NUMBER)
                        .variableArity()
                        .build()),
                function(name, "array", description + "; features as an array of numbers", Signature.builder()
                        .returnType(returnType)
                        .argumentType(TEXT)
                        .argumentType(new ArrayType(NUMBER))
                        .build()),
                function(name, "row", description + "; features as a row whose field names are the model's feature names", rowArgument(Signature.builder()
                        .returnType(returnType)
                        .argumentType(TEXT))
                        .build()));
    }

    private static FunctionMetadata function(String name, String form, String description, Signature signature)
    {
        return FunctionMetadata.scalarBuilder(name)
                .functionId(new FunctionId(name + "$" + form))
                .signature(signature)
                .nullable()
                .argumentNullability(true, true)
                .description(description)
                .build();
    }
}
