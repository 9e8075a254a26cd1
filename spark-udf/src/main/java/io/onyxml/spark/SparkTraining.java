package io.onyxml.spark;

import com.google.common.collect.ImmutableMap;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelNames;
import io.onyxml.store.ModelSource;
import io.onyxml.store.RegisterOptions;
import io.onyxml.training.Algorithm;
import io.onyxml.training.InputWording;
import io.onyxml.training.TrainedModel;
import io.onyxml.training.TrainedModelRegistration;
import io.onyxml.training.TrainingInput;
import io.onyxml.training.TrainingLimits;
import io.onyxml.training.TrainingOptions;
import io.onyxml.training.TrainingSlot;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.List;
import java.util.Optional;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.store.access.ModelPrivilege.CREATE;

/**
 * {@code Onyx.trainModel}: the columns chosen by the core's rules ({@link TrainingInput}), the training distributed
 * ({@link DistributedTraining}) or on the driver for trees ({@link DriverTraining}), one registration on the driver
 * after the jobs, and Trino's result row.
 */
final class SparkTraining
{
    /**
     * How the core's input rules speak to Spark users.
     */
    static final InputWording WORDING = new InputWording(
            "DataFrame",
            "in the DataFrame",
            "the feature list",
            "cast it, or leave it out with select(...)",
            "the label argument '%s'");

    private static final StructType RESULT = DataTypes.createStructType(List.of(
            DataTypes.createStructField("model", DataTypes.StringType, false),
            DataTypes.createStructField("algorithm", DataTypes.StringType, false),
            DataTypes.createStructField("training_rows", DataTypes.LongType, false),
            DataTypes.createStructField("features", DataTypes.createArrayType(DataTypes.StringType), false),
            DataTypes.createStructField("training_seconds", DataTypes.DoubleType, false),
            DataTypes.createStructField("metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false),
            DataTypes.createStructField("test_metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), true),
            DataTypes.createStructField("cluster_sizes", DataTypes.createArrayType(DataTypes.LongType), true),
            DataTypes.createStructField("warnings", DataTypes.createArrayType(DataTypes.StringType), false)));

    private SparkTraining() {}

    static Dataset<Row> trainModel(Dataset<Row> input, String name, String label, String algorithmName, String optionsText)
    {
        SparkSession spark = input.sparkSession();
        OnyxSparkConfig config = OnyxSparkConfig.from(spark.sparkContext().getConf());
        ModelNames.checkModelName(name);
        SparkModelAccess.of(spark).check(name, CREATE);
        Algorithm algorithm = Algorithm.fromName(algorithmName);
        TrainingOptions options = TrainingOptions.parse(algorithm, optionsText == null ? "" : optionsText);
        TrainingLimits limits = SparkTrainingLimits.from(spark.conf());
        TrainingInput columns = TrainingInput.bind(name, algorithm, SparkValues.columns(input.schema()), Optional.ofNullable(label), Optional.empty(), List.of(), limits, WORDING);

        ExecutorModels models = ExecutorModels.get(config);
        TrainedModel model;
        ModelManifest manifest;
        try (TrainingSlot slot = models.trainingSlots(SparkTrainingLimits.slots(spark.conf())).acquire(name, "Spark application " + spark.sparkContext().applicationId())) {
            model = algorithm == Algorithm.GRADIENT_BOOSTED_TREES
                    ? DriverTraining.train(input, name, options, columns, limits)
                    : new DistributedTraining(input, name, options, columns, limits).train();
            RegisterOptions registration = TrainedModelRegistration.options(
                    model,
                    options,
                    columns.labelColumn().map(column -> column.name()),
                    columns.featureColumns().stream().map(feature -> feature.type().displayName()).collect(toImmutableList()),
                    ImmutableMap.of("spark_application", spark.sparkContext().applicationId()))
                    .withRegisteredBy(spark.sparkContext().sparkUser());
            slot.checkHeld();
            manifest = models.store().register(name, ModelSource.of(model.onnx()), registration, models.engine().validator());
        }
        Row row = RowFactory.create(
                manifest.reference().toString(),
                algorithm.algorithmName(),
                model.trainingRows(),
                SparkValues.external(model.featureNames()),
                model.trainingTime().toNanos() / 1e9,
                SparkValues.external(model.metrics()),
                model.testMetrics().map(SparkValues::external).orElse(null),
                model.clusterSizes().map(SparkValues::external).orElse(null),
                SparkValues.external(model.warnings()));
        return spark.createDataFrame(List.of(row), RESULT);
    }
}
