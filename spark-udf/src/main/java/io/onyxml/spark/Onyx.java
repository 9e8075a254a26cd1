package io.onyxml.spark;

import io.onyxml.inference.BindingMode;
import io.onyxml.inference.EngineColumn;
import io.onyxml.inference.InputColumn;
import io.onyxml.inference.PredictionPlan;
import io.onyxml.inference.ResultColumn;
import io.onyxml.inference.TableCall;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelReference;
import io.onyxml.store.OnyxException;
import io.onyxml.store.PinnedModel;
import io.onyxml.training.evaluation.EvaluationMetrics;
import io.onyxml.training.evaluation.ModelEvaluator;
import org.apache.spark.api.java.function.ReduceFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
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
    public static final String BATCH_SIZE = OnyxSparkConfig.PREFIX + "batch-size";

    private Onyx() {}

    /**
     * Trino's {@code evaluate}: one row with {@code rows} (the rows counted) and {@code metrics}, the model's metrics on
     * the DataFrame's rows against {@code label} (null for a clustering model), computed where the partitions are
     * and merged on the driver, by the same code as training.
     */
    public static Dataset<Row> evaluate(Dataset<Row> input, String reference, String label)
    {
        SparkSession spark = input.sparkSession();
        OnyxSparkConfig config = OnyxSparkConfig.from(spark.sparkContext().getConf());
        ModelManifest manifest = ExecutorModels.get(config).store().resolve(ModelReference.parse(reference));
        StructType schema = input.schema();
        List<EngineColumn> columns = Arrays.stream(schema.fields()).map(SparkTypes::column).collect(toImmutableList());
        Optional<Integer> labelIndex = Optional.ofNullable(label).map(name -> labelIndex(columns, name));
        Optional<ColumnType> labelType = labelIndex.map(index -> columns.get(index).type().orElseThrow(() -> new OnyxException(INVALID_ARGUMENT, format(
                "Label '%s' has type %s; evaluate needs a label of numbers, boolean or string", label, columns.get(index).engineType()))));
        List<Integer> candidates = ModelEvaluator.candidateColumns(columns, labelIndex, List.of());
        PredictionPlan plan = PredictionPlan.create(manifest, candidates.stream().map(index -> new InputColumn(columns.get(index).name(), columns.get(index).type().orElseThrow())).collect(toImmutableList()), BindingMode.BY_NAME);
        ModelEvaluator.checkEvaluable(plan, labelType);
        Set<Integer> used = new TreeSet<>();
        plan.inputs().forEach(binding -> used.addAll(binding.columns()));
        List<Integer> channels = used.stream().map(candidates::get).collect(toImmutableList());
        EvaluatePartitions partitions = new EvaluatePartitions(
                config,
                PinnedModel.of(manifest),
                channels,
                channels.stream().map(index -> columns.get(index).name()).collect(toImmutableList()),
                channels.stream().map(index -> columns.get(index).type().orElseThrow()).collect(toImmutableList()),
                labelIndex.orElse(-1),
                labelType.orElse(null),
                Integer.parseInt(spark.conf().get(BATCH_SIZE, "4096")));
        EvaluationMetrics metrics = input.mapPartitions(partitions, Encoders.javaSerialization(EvaluationMetrics.class)).reduce((ReduceFunction<EvaluationMetrics>) EvaluationMetrics::merge);
        StructType result = DataTypes.createStructType(List.of(
                DataTypes.createStructField("rows", DataTypes.LongType, false),
                DataTypes.createStructField("metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false)));
        return spark.createDataFrame(List.of(RowFactory.create(metrics.rows(), CollectionConverters.asScala(metrics.metrics()))), result);
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
        OnyxSparkConfig config = OnyxSparkConfig.from(spark.sparkContext().getConf());
        ModelManifest manifest = ExecutorModels.get(config).store().resolve(ModelReference.parse(reference));
        StructType schema = input.schema();
        List<EngineColumn> columns = Arrays.stream(schema.fields()).map(SparkTypes::column).collect(toImmutableList());
        TableCall call = TableCall.bind(manifest, columns, Optional.empty());

        List<StructField> fields = new ArrayList<>(Arrays.asList(schema.fields()));
        for (ResultColumn result : call.results()) {
            fields.add(DataTypes.createStructField(result.name(), SparkTypes.toSparkType(result.type()), true));
        }
        StructType output = DataTypes.createStructType(fields);
        int batchSize = Integer.parseInt(spark.conf().get(BATCH_SIZE, "4096"));
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
