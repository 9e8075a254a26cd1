package io.onyxml.spark;

import io.onyxml.inference.EngineColumn;
import io.onyxml.inference.ResultColumn;
import io.onyxml.inference.ResultKind;
import io.onyxml.inference.TableCall;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.spark.execution.BatchPredictStrategy;
import io.onyxml.spark.functions.PredictFunction;
import io.onyxml.spark.rules.BatchPredictions;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelReference;
import io.onyxml.store.ModelSource;
import io.onyxml.store.PinnedModel;
import io.onyxml.store.RegisterOptions;
import io.onyxml.training.InputColumns;
import io.onyxml.training.evaluation.EvaluationMetrics;
import io.onyxml.training.evaluation.ModelEvaluator;
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
import static io.onyxml.store.access.ModelPrivilege.CREATE;
import static io.onyxml.store.access.ModelPrivilege.MANAGE;
import static io.onyxml.store.access.ModelPrivilege.READ;

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
     * Trino's {@code train_model} for DataFrames: trains on every column but the label (select the columns to train
     * on), registers the model as a new version (once, on the driver, after the jobs: a retried task cannot register
     * twice) and returns Trino's result row. {@code linear_regression}, {@code logistic_regression} and {@code kmeans}
     * are distributed over the executors; {@code gradient_boosted_trees} trains on the driver. {@code label} is null
     * for {@code kmeans}; {@code options} as in Trino ({@code "l2=0.5, test_fraction=0.2"}), null for the defaults.
     */
    public static Dataset<Row> trainModel(Dataset<Row> input, String name, String label, String algorithm, String options)
    {
        return SparkTraining.trainModel(input, name, label, algorithm, options);
    }

    /**
     * {@code CALL ml.system.register_model(...)} from code: adds a version of a model from an ONNX file (or an XGBoost
     * JSON or UBJSON model, converted) on the driver or in S3, in one of the locations
     * {@code spark.onyx.register-model.allowed-locations} lists, after the checks the inference engine makes.
     */
    public static ModelManifest registerModel(SparkSession spark, String name, String uri, RegisterOptions options)
    {
        SparkModelAccess.of(spark).check(name, CREATE);
        return models(spark).register(name, ModelSource.parse(uri), options.withRegisteredBy(spark.sparkContext().sparkUser()));
    }

    /**
     * {@code CALL ml.system.set_alias(name, alias, version)} from code.
     */
    public static void setAlias(SparkSession spark, String name, String alias, int version)
    {
        SparkModelAccess.of(spark).check(name, MANAGE);
        models(spark).store().setAlias(name, alias, version);
    }

    /**
     * {@code CALL ml.system.drop_alias(name, alias)} from code.
     */
    public static void dropAlias(SparkSession spark, String name, String alias)
    {
        SparkModelAccess.of(spark).check(name, MANAGE);
        models(spark).store().removeAlias(name, alias);
    }

    /**
     * {@code CALL ml.system.drop_model_version(name, version, force)} from code; a version an alias points at only
     * with {@code force}.
     */
    public static void dropModelVersion(SparkSession spark, String name, int version, boolean force)
    {
        SparkModelAccess.of(spark).check(name, MANAGE);
        ExecutorModels models = models(spark);
        ModelManifest deleted = models.store().manifest(name, version);
        models.store().deleteVersion(name, version, force);
        models.deleted(List.of(deleted));
    }

    /**
     * {@code CALL ml.system.drop_model(name)} from code: the model with all its versions and aliases.
     */
    public static void dropModel(SparkSession spark, String name)
    {
        SparkModelAccess.of(spark).check(name, MANAGE);
        ExecutorModels models = models(spark);
        List<ModelManifest> deleted = models.store().listVersions(name);
        models.store().deleteModel(name);
        models.deleted(deleted);
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
        ModelManifest manifest = resolve(spark, config, reference);
        StructType schema = input.schema();
        List<EngineColumn> columns = SparkValues.columns(schema);
        Optional<Integer> labelIndex = Optional.ofNullable(label).map(name -> InputColumns.find(columns, name, "label", SparkTraining.WORDING));
        labelIndex.ifPresent(index -> InputColumns.checkLabelType("evaluate", columns.get(index)));
        Optional<ColumnType> labelType = labelIndex.map(index -> columns.get(index).type().orElseThrow());
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
        EvaluationMetrics metrics = Partials.aggregate(input, partitions, EvaluationMetrics.empty(manifest), EvaluationMetrics::merge);
        StructType result = DataTypes.createStructType(List.of(
                DataTypes.createStructField("rows", DataTypes.LongType, false),
                DataTypes.createStructField("metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false)));
        return spark.createDataFrame(List.of(RowFactory.create(metrics.rows(), SparkValues.external(metrics.metrics()))), result);
    }

    private static ExecutorModels models(SparkSession spark)
    {
        return ExecutorModels.get(config(spark));
    }

    private static OnyxSparkConfig config(SparkSession spark)
    {
        return OnyxSparkConfig.from(spark);
    }

    /**
     * What a reference names now, resolved once on the driver: every task of the job gets this version; if the user
     * may read the model.
     */
    private static ModelManifest resolve(SparkSession spark, OnyxSparkConfig config, String reference)
    {
        ModelReference parsed = ModelReference.parse(reference);
        SparkModelAccess.of(spark).check(parsed.name(), READ);
        return ExecutorModels.get(config).store().resolve(parsed);
    }

    private static int batchSize(SparkSession spark)
    {
        return BatchPredictStrategy.batchSize(spark);
    }

    public static Dataset<Row> predict(Dataset<Row> input, String reference)
    {
        SparkSession spark = input.sparkSession();
        OnyxSparkConfig config = config(spark);
        ModelManifest manifest = resolve(spark, config, reference);
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
