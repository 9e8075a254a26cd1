package io.onyxml.spark;

import com.google.common.collect.ImmutableMap;
import io.onyxml.inference.EngineColumn;
import io.onyxml.inference.ResultColumn;
import io.onyxml.inference.ResultKind;
import io.onyxml.inference.TableCall;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.spark.execution.BatchPredictStrategy;
import io.onyxml.spark.functions.PredictFunction;
import io.onyxml.spark.rules.BatchPredictions;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelNames;
import io.onyxml.store.ModelReference;
import io.onyxml.store.ModelSource;
import io.onyxml.store.OnyxException;
import io.onyxml.store.PinnedModel;
import io.onyxml.store.RegisterOptions;
import io.onyxml.training.Algorithm;
import io.onyxml.training.FeatureNames;
import io.onyxml.training.TrainedModel;
import io.onyxml.training.TrainedModelRegistration;
import io.onyxml.training.TrainingLimits;
import io.onyxml.training.TrainingOption;
import io.onyxml.training.TrainingOptions;
import io.onyxml.training.data.TrainingColumn;
import io.onyxml.training.evaluation.EvaluationMetrics;
import io.onyxml.training.evaluation.ModelEvaluator;
import org.apache.spark.api.java.function.ReduceFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.ExperimentalMethods;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.connector.catalog.CatalogManager;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Function1;
import scala.Option;
import scala.Tuple3;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static io.onyxml.store.OnyxErrorCode.UNSUPPORTED_MODEL;
import static java.lang.String.format;
import static java.util.stream.Collectors.joining;

/**
 * Onyx from Spark code. {@link #predict} is BigQuery's {@code ML.PREDICT} for DataFrames: every input column, then
 * the model's result columns, the columns bound to the model's features by name as in Trino's {@code predict} table
 * function; the reference is resolved once, on the driver, so every task of the job scores one version.
 */
public final class Onyx
{
    /** rows per ONNX Runtime call */
    public static final String BATCH_SIZE = BatchPredictStrategy.BATCH_SIZE;

    private Onyx() {}

    /**
     * What {@code spark.sql.extensions=io.onyxml.spark.OnyxExtensions} does, for a session that is already running:
     * registers the predict functions in the session, and adds the rule that batches their calls and the strategy
     * that plans the batches (as the session's extra optimizations and strategies). Calling it again changes nothing.
     */
    public static void register(SparkSession spark)
    {
        FunctionRegistry functions = spark.sessionState().functionRegistry();
        for (ResultKind kind : ResultKind.values()) {
            Tuple3<FunctionIdentifier, ExpressionInfo, Function1<Seq<Expression>, Expression>> function = PredictFunction.registration(kind);
            // as the extensions register them: built-in functions of this session
            FunctionIdentifier builtin = new FunctionIdentifier(function._1().funcName(), Option.apply(CatalogManager.BUILTIN_NAMESPACE()), Option.apply(CatalogManager.SYSTEM_CATALOG_NAME()));
            functions.registerFunction(builtin, function._2(), function._3());
        }
        ExperimentalMethods experimental = spark.experimental();
        if (CollectionConverters.asJava(experimental.extraOptimizations()).stream().noneMatch(BatchPredictions.class::isInstance)) {
            experimental.extraOptimizations_$eq(ScalaCollections.concat(experimental.extraOptimizations(), ScalaCollections.seq(List.of(new BatchPredictions()))));
        }
        if (CollectionConverters.asJava(experimental.extraStrategies()).stream().noneMatch(BatchPredictStrategy.class::isInstance)) {
            experimental.extraStrategies_$eq(ScalaCollections.concat(experimental.extraStrategies(), ScalaCollections.seq(List.of(new BatchPredictStrategy(spark)))));
        }
    }

    /**
     * Trino's {@code train_model} for DataFrames: trains on every column but the label, registers the model as a new
     * version (once, on the driver, after the job: a retried task cannot register twice) and returns Trino's result
     * row. This build distributes {@code linear_regression} and {@code logistic_regression}; the others come with the
     * Spark issue.
     */
    public static Dataset<Row> trainModel(Dataset<Row> input, String name, String label, String algorithmName, String optionsText)
    {
        SparkSession spark = input.sparkSession();
        OnyxSparkConfig config = config(spark);
        ModelNames.checkModelName(name);
        Algorithm algorithm = Algorithm.fromName(algorithmName);
        TrainingOptions options = TrainingOptions.parse(algorithm, optionsText);
        if (algorithm != Algorithm.LINEAR_REGRESSION && algorithm != Algorithm.LOGISTIC_REGRESSION) {
            throw new OnyxException(UNSUPPORTED_MODEL, format("%s is not distributed in Spark yet; this build trains linear_regression and logistic_regression (train the others in Trino)", algorithm.algorithmName()));
        }
        if (options.number(TrainingOption.TEST_FRACTION) > 0) {
            throw new OnyxException(UNSUPPORTED_MODEL, "test_fraction is not supported in Spark yet");
        }
        StructType schema = input.schema();
        List<EngineColumn> columns = SparkValues.columns(schema);
        int labelField = labelIndex(columns, label);
        if (!(columns.get(labelField).type().orElse(null) instanceof ScalarType scalar) || (algorithm == Algorithm.LINEAR_REGRESSION && !scalar.isNumeric())) {
            throw new OnyxException(INVALID_ARGUMENT, format("Label '%s' has type %s; %s needs a %s label", label, columns.get(labelField).engineType(), algorithm.algorithmName(),
                    algorithm == Algorithm.LINEAR_REGRESSION ? "numeric" : "number, boolean or string"));
        }
        List<Integer> featureFields = new ArrayList<>();
        List<TrainingColumn> features = new ArrayList<>();
        for (int index = 0; index < columns.size(); index++) {
            if (index == labelField) {
                continue;
            }
            EngineColumn column = columns.get(index);
            if (!(column.type().orElse(null) instanceof ScalarType type)) {
                throw new OnyxException(INVALID_ARGUMENT, EngineColumn.unsupportedType("Column", column.name(), column.engineType()));
            }
            featureFields.add(index);
            features.add(new TrainingColumn(column.name(), type));
        }
        FeatureNames.check(features.stream().map(TrainingColumn::name).collect(toImmutableList()));
        TrainedModel model = algorithm == Algorithm.LINEAR_REGRESSION
                ? DistributedTraining.linearRegression(input, name, features, featureFields, labelField, options, TrainingLimits.DEFAULTS)
                : DistributedTraining.logisticRegression(input, name, features, featureFields, labelField, options, TrainingLimits.DEFAULTS);
        ExecutorModels models = ExecutorModels.get(config);
        RegisterOptions registration = TrainedModelRegistration.options(
                model,
                options,
                Optional.of(label),
                features.stream().map(feature -> feature.type().displayName()).collect(toImmutableList()),
                ImmutableMap.of("spark_application", spark.sparkContext().applicationId(), "user", spark.sparkContext().sparkUser()));
        ModelManifest manifest = models.store().register(name, ModelSource.of(model.onnx()), registration, models.engine().validator());
        StructType result = DataTypes.createStructType(List.of(
                DataTypes.createStructField("model", DataTypes.StringType, false),
                DataTypes.createStructField("algorithm", DataTypes.StringType, false),
                DataTypes.createStructField("training_rows", DataTypes.LongType, false),
                DataTypes.createStructField("features", DataTypes.createArrayType(DataTypes.StringType), false),
                DataTypes.createStructField("training_seconds", DataTypes.DoubleType, false),
                DataTypes.createStructField("metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false),
                DataTypes.createStructField("test_metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), true),
                DataTypes.createStructField("cluster_sizes", DataTypes.createArrayType(DataTypes.LongType), true),
                DataTypes.createStructField("warnings", DataTypes.createArrayType(DataTypes.StringType), false)));
        Row row = RowFactory.create(
                manifest.reference().toString(),
                algorithm.algorithmName(),
                model.trainingRows(),
                SparkValues.external(model.featureNames()),
                model.trainingTime().toNanos() / 1e9,
                SparkValues.external(model.metrics()),
                null,
                null,
                SparkValues.external(model.warnings()));
        return spark.createDataFrame(List.of(row), result);
    }

    /**
     * Trino's {@code evaluate}: one row with {@code rows} (the rows counted) and {@code metrics}, the model's metrics on
     * the DataFrame's rows against {@code label} (null for a clustering model), computed where the partitions are
     * and merged on the driver, by the same code as training.
     */
    public static Dataset<Row> evaluate(Dataset<Row> input, String reference, String label)
    {
        SparkSession spark = input.sparkSession();
        OnyxSparkConfig config = config(spark);
        ModelManifest manifest = resolve(config, reference);
        StructType schema = input.schema();
        List<EngineColumn> columns = SparkValues.columns(schema);
        Optional<Integer> labelIndex = Optional.ofNullable(label).map(name -> labelIndex(columns, name));
        Optional<ColumnType> labelType = labelIndex.map(index -> columns.get(index).type().orElseThrow(() -> new OnyxException(INVALID_ARGUMENT, format(
                "Label '%s' has type %s; evaluate needs a label of numbers, boolean or string", label, columns.get(index).engineType()))));
        List<Integer> channels = ModelEvaluator.bind(manifest, columns, labelIndex, List.of());
        EvaluatePartitions partitions = new EvaluatePartitions(
                config,
                PinnedModel.of(manifest),
                channels,
                channels.stream().map(index -> columns.get(index).name()).collect(toImmutableList()),
                channels.stream().map(index -> columns.get(index).type().orElseThrow()).collect(toImmutableList()),
                labelIndex.orElse(-1),
                labelType.orElse(null),
                batchSize(spark));
        EvaluationMetrics metrics = input.mapPartitions(partitions, Encoders.javaSerialization(EvaluationMetrics.class)).reduce((ReduceFunction<EvaluationMetrics>) EvaluationMetrics::merge);
        StructType result = DataTypes.createStructType(List.of(
                DataTypes.createStructField("rows", DataTypes.LongType, false),
                DataTypes.createStructField("metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false)));
        return spark.createDataFrame(List.of(RowFactory.create(metrics.rows(), SparkValues.external(metrics.metrics()))), result);
    }

    private static OnyxSparkConfig config(SparkSession spark)
    {
        return OnyxSparkConfig.from(spark);
    }

    /**
     * What a reference names now, resolved once on the driver: every task of the job gets this version.
     */
    private static ModelManifest resolve(OnyxSparkConfig config, String reference)
    {
        return ExecutorModels.get(config).store().resolve(ModelReference.parse(reference));
    }

    private static int batchSize(SparkSession spark)
    {
        return BatchPredictStrategy.batchSize(spark);
    }

    private static int labelIndex(List<EngineColumn> columns, String label)
    {
        for (int index = 0; index < columns.size(); index++) {
            if (columns.get(index).name().equalsIgnoreCase(label)) {
                return index;
            }
        }
        throw new OnyxException(INVALID_ARGUMENT, format(
                "The label column '%s' is not a column of the DataFrame; its columns are: %s",
                label,
                columns.stream().map(EngineColumn::name).collect(joining(", "))));
    }

    public static Dataset<Row> predict(Dataset<Row> input, String reference)
    {
        SparkSession spark = input.sparkSession();
        OnyxSparkConfig config = config(spark);
        ModelManifest manifest = resolve(config, reference);
        StructType schema = input.schema();
        List<EngineColumn> columns = SparkValues.columns(schema);
        TableCall call = TableCall.bind(manifest, columns, Optional.empty());

        List<StructField> fields = new ArrayList<>(Arrays.asList(schema.fields()));
        for (ResultColumn result : call.results()) {
            fields.add(DataTypes.createStructField(result.name(), SparkTypes.toSparkType(result.type()), true));
        }
        StructType output = DataTypes.createStructType(fields);
        int batchSize = batchSize(spark);
        PredictPartitions partitions = new PredictPartitions(
                config,
                PinnedModel.of(manifest),
                call.channels(),
                call.channels().stream().map(index -> schema.fields()[index].name()).collect(toImmutableList()),
                call.channels().stream().map(index -> columns.get(index).type().orElseThrow()).collect(toImmutableList()),
                call.mode(),
                batchSize);
        return input.mapPartitions(partitions, Encoders.row(output));
    }
}
