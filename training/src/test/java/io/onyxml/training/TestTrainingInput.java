package io.onyxml.training;

import com.google.common.collect.ImmutableMap;
import io.onyxml.inference.EngineColumn;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.store.OnyxException;
import io.onyxml.training.data.LabelRole;
import io.onyxml.training.data.TrainingColumn;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static io.onyxml.store.OnyxErrorCode.TRAINING_LIMIT_EXCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The input rules every engine applies to a training's columns, with each engine's wording.
 */
class TestTrainingInput
{
    private static final InputWording WORDING = new InputWording("input table", "in the input query", "features => DESCRIPTOR(...)", "cast it, or list the features", "label => '%s'");

    private static final List<EngineColumn> COLUMNS = List.of(
            column("x", ScalarType.DOUBLE, "double"),
            column("kind", ScalarType.VARCHAR, "varchar"),
            column("region", ScalarType.VARCHAR, "varchar"),
            column("count", ScalarType.BIGINT, "bigint"),
            column("y", ScalarType.DOUBLE, "double"));

    @Test
    void featuresAreEveryColumnButTheLabelAndThePartitionColumns()
    {
        TrainingInput input = bind(Algorithm.LINEAR_REGRESSION, COLUMNS, Optional.of("Y"), Optional.empty(), List.of("region"));
        assertThat(input.features()).containsExactly(0, 1, 3);
        assertThat(input.label()).contains(4);
        assertThat(input.partitions()).containsExactly(2);
        assertThat(input.featureColumns()).containsExactly(
                new TrainingColumn("x", ScalarType.DOUBLE),
                new TrainingColumn("kind", ScalarType.VARCHAR),
                new TrainingColumn("count", ScalarType.BIGINT));
        assertThat(input.labelColumn()).contains(new TrainingColumn("y", ScalarType.DOUBLE));
        assertThat(input.labelRole(Algorithm.LINEAR_REGRESSION)).isEqualTo(LabelRole.NUMBERS);
        assertThat(input.labelRole(Algorithm.GRADIENT_BOOSTED_TREES)).isEqualTo(LabelRole.NUMBERS);

        TrainingInput clustering = bind(Algorithm.KMEANS, COLUMNS, Optional.empty(), Optional.empty(), List.of());
        assertThat(clustering.features()).containsExactly(0, 1, 2, 3, 4);
        assertThat(clustering.labelRole(Algorithm.KMEANS)).isEqualTo(LabelRole.NONE);
    }

    @Test
    void listedFeaturesKeepTheirOrder()
    {
        TrainingInput input = bind(Algorithm.LOGISTIC_REGRESSION, COLUMNS, Optional.of("kind"), Optional.of(List.of("COUNT", "x")), List.of());
        assertThat(input.features()).containsExactly(3, 0);
        assertThat(input.labelRole(Algorithm.LOGISTIC_REGRESSION)).isEqualTo(LabelRole.CLASSES);

        assertInvalid(() -> bind(Algorithm.LINEAR_REGRESSION, COLUMNS, Optional.of("y"), Optional.of(List.of("x", "X")), List.of()))
                .hasMessage("Column 'x' is listed twice in features => DESCRIPTOR(...)");
        assertInvalid(() -> bind(Algorithm.LINEAR_REGRESSION, COLUMNS, Optional.of("y"), Optional.of(List.of("x", "y")), List.of()))
                .hasMessage("Column 'y' is the label; it cannot also be a feature");
        assertInvalid(() -> bind(Algorithm.LINEAR_REGRESSION, COLUMNS, Optional.of("y"), Optional.of(List.of("x", "region")), List.of("region")))
                .hasMessage("Column 'region' is a PARTITION BY column; it cannot also be a feature");
        assertInvalid(() -> bind(Algorithm.LINEAR_REGRESSION, COLUMNS, Optional.of("y"), Optional.empty(), List.of("Y")))
                .hasMessage("Column 'y' is the label; it cannot also be a PARTITION BY column");
        assertInvalid(() -> bind(Algorithm.LINEAR_REGRESSION, COLUMNS, Optional.of("y"), Optional.of(List.of("nope")), List.of()))
                .hasMessage("The feature column 'nope' is not a column of the input table; its columns are: x, kind, region, count, y");
    }

    @Test
    void columnsAreFoundByNameIgnoringCase()
    {
        List<EngineColumn> clashing = List.of(column("Price", ScalarType.DOUBLE, "double"), column("price", ScalarType.DOUBLE, "double"), column("x", ScalarType.DOUBLE, "double"));
        assertInvalid(() -> bind(Algorithm.LINEAR_REGRESSION, clashing, Optional.of("PRICE"), Optional.empty(), List.of()))
                .hasMessage("The label column 'PRICE' matches several input columns when case is ignored; rename them in the input query");
        assertInvalid(() -> bind(Algorithm.LINEAR_REGRESSION, COLUMNS, Optional.of("price"), Optional.empty(), List.of()))
                .hasMessage("The label column 'price' is not a column of the input table; its columns are: x, kind, region, count, y");
        assertInvalid(() -> bind(Algorithm.LINEAR_REGRESSION, COLUMNS, Optional.of("y"), Optional.empty(), List.of("nope")))
                .hasMessage("The PARTITION BY column 'nope' is not a column of the input table; its columns are: x, kind, region, count, y");
        InputWording spark = new InputWording("DataFrame", "in the DataFrame", "the feature list", "cast it or drop it", "label '%s'");
        assertInvalid(() -> InputColumns.find(COLUMNS, "price", "label", spark))
                .hasMessage("The label column 'price' is not a column of the DataFrame; its columns are: x, kind, region, count, y");
        // a long name is shown by its start and length, control characters escaped
        assertInvalid(() -> InputColumns.find(COLUMNS, "p".repeat(100_000), "label", spark))
                .hasMessage("The label column '" + "p".repeat(160) + "... (100000 characters)' is not a column of the DataFrame; its columns are: x, kind, region, count, y");
        assertInvalid(() -> InputColumns.find(COLUMNS, "pri\nce", "label", spark))
                .hasMessage("The label column 'pri\\u000ace' is not a column of the DataFrame; its columns are: x, kind, region, count, y");
    }

    @Test
    void labelsAreRequiredOrRefusedByTheAlgorithm()
    {
        assertInvalid(() -> bind(Algorithm.LINEAR_REGRESSION, COLUMNS, Optional.empty(), Optional.empty(), List.of()))
                .hasMessage("linear_regression needs a label: label => '<column>'");
        assertInvalid(() -> bind(Algorithm.KMEANS, COLUMNS, Optional.of("y"), Optional.empty(), List.of()))
                .hasMessage("kmeans takes no label; leave out label => 'y'");
    }

    @Test
    void typesAreChecked()
    {
        List<EngineColumn> columns = List.of(
                column("x", ScalarType.DOUBLE, "double"),
                new EngineColumn("day", Optional.empty(), "date"),
                new EngineColumn("vector", Optional.of(ColumnType.array(ScalarType.DOUBLE)), "array(double)"),
                column("name", ScalarType.VARCHAR, "varchar"),
                column("y", ScalarType.DOUBLE, "double"));
        assertInvalid(() -> bind(Algorithm.LINEAR_REGRESSION, columns, Optional.of("y"), Optional.empty(), List.of()))
                .hasMessage("Column 'day' has type date, which cannot be a feature: use numbers, boolean or varchar (cast it, or list the features)");
        assertInvalid(() -> bind(Algorithm.LINEAR_REGRESSION, columns, Optional.of("y"), Optional.of(List.of("vector")), List.of()))
                .hasMessage("Column 'vector' has type array(double), which cannot be a feature: use numbers, boolean or varchar (cast it, or list the features)");
        assertInvalid(() -> bind(Algorithm.LINEAR_REGRESSION, columns, Optional.of("name"), Optional.of(List.of("x")), List.of()))
                .hasMessage("Label 'name' has type varchar; linear_regression needs a numeric label (for classes use logistic_regression)");
        assertInvalid(() -> bind(Algorithm.LOGISTIC_REGRESSION, columns, Optional.of("vector"), Optional.of(List.of("x")), List.of()))
                .hasMessage("Label 'vector' has type array(double); logistic_regression needs a label of numbers, boolean or varchar");
        assertInvalid(() -> bind(Algorithm.LINEAR_REGRESSION, columns, Optional.of("y"), Optional.of(List.of("x")), List.of("day")))
                .hasMessage("PARTITION BY column 'day' has type date; train one model per value of a number, boolean or varchar column (cast it in the input query)");
        assertInvalid(() -> InputColumns.checkLabelType("evaluate", columns.get(1)))
                .hasMessage("Label 'day' has type date; evaluate needs a label of numbers, boolean or varchar");
    }

    @Test
    void theFeaturesMustSuitTheGraphAndTheLimits()
    {
        List<EngineColumn> onlyLabel = List.of(column("y", ScalarType.DOUBLE, "double"), column("region", ScalarType.VARCHAR, "varchar"));
        assertInvalid(() -> bind(Algorithm.LINEAR_REGRESSION, onlyLabel, Optional.of("y"), Optional.empty(), List.of("region")))
                .hasMessage("The input has no feature columns: it needs columns besides the label and the PARTITION BY columns");
        assertInvalid(() -> bind(Algorithm.LINEAR_REGRESSION, onlyLabel.subList(0, 1), Optional.of("y"), Optional.empty(), List.of()))
                .hasMessage("The input has no feature columns: it needs columns besides the label");
        List<EngineColumn> clash = List.of(column("label", ScalarType.DOUBLE, "double"), column("y", ScalarType.DOUBLE, "double"));
        assertInvalid(() -> bind(Algorithm.LINEAR_REGRESSION, clash, Optional.of("y"), Optional.empty(), List.of()))
                .hasMessageStartingWith("Column 'label' cannot be a feature: the trained model's outputs are named prediction, label, probabilities, cluster and distances");

        TrainingLimits twoFeatures = new TrainingLimits(100, 2, 10, Duration.ofMinutes(1), ImmutableMap.of(TrainingLimits.Limit.FEATURES, "raise max-features"));
        assertThatThrownBy(() -> TrainingInput.bind("wide", Algorithm.LINEAR_REGRESSION, COLUMNS, Optional.of("y"), Optional.empty(), List.of(), twoFeatures, WORDING))
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(TRAINING_LIMIT_EXCEEDED))
                .hasMessage("Model 'wide' would train on 4 feature columns, more than 2, the limit of features per training; raise max-features");
    }

    private static TrainingInput bind(Algorithm algorithm, List<EngineColumn> columns, Optional<String> label, Optional<List<String>> listed, List<String> partitions)
    {
        return TrainingInput.bind("model", algorithm, columns, label, listed, partitions, TrainingLimits.DEFAULTS, WORDING);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(Executable action)
    {
        return assertThatThrownBy(action::execute)
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(INVALID_ARGUMENT));
    }

    private static EngineColumn column(String name, ScalarType type, String engineType)
    {
        return new EngineColumn(name, Optional.of(type), engineType);
    }
}
