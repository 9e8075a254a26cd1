package io.onyxml.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.base.Ticker;
import io.onyxml.store.ModelTask;
import io.onyxml.store.OnyxException;
import io.onyxml.training.data.LabelRole;
import io.onyxml.training.data.TrainingTable;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.onyxml.store.OnyxErrorCode.INVALID_TRAINING_DATA;
import static io.onyxml.training.TrainingData.sequence;
import static io.onyxml.training.TrainingData.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

class TestLinearRegression
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 300;

    /**
     * a is offset by a million, b a thousand times smaller than 1: the data scikit-learn 1.2.1 fitted for the
     * numbers below (ref: {@code LinearRegression()} on [a, b, one-hot(c) without its first category], and
     * {@code Ridge(alpha=2.5)} on [a, b, one-hot(c)]).
     */
    private static TrainingData data()
    {
        double[] a = sequence(ROWS, i -> 1e6 + 1000 * Math.sin(i * 0.37));
        double[] b = sequence(ROWS, i -> 1e-3 * Math.cos(i * 1.91));
        String[] c = texts(ROWS, i -> new String[] {"north", "south", "east"}[(i * 7) % 3]);
        double[] y = new double[ROWS];
        for (int i = 0; i < ROWS; i++) {
            double offset = switch (c[i]) {
                case "north" -> 5;
                case "south" -> -1;
                default -> 0;
            };
            y[i] = 3 * a[i] - 2000 * b[i] + offset + 1 + 0.5 * Math.sin(i * 12.7);
        }
        return new TrainingData().numbers("a", a).numbers("b", b).texts("c", c).numbers("y", y);
    }

    @Test
    void matchesScikitLearnOnBadlyScaledFeatures()
            throws Exception
    {
        TrainedModel model = train(data().table("y", LabelRole.NUMBERS), "");
        assertThat(model.task()).isEqualTo(ModelTask.REGRESSION);
        Map<String, Double> coefficients = coefficients(model);
        assertRelative(coefficients.get("a"), 3.0000063151156797, 1e-6);
        assertRelative(coefficients.get("b"), -1999.9180018026477, 1e-6);
        // east is the reference category without a penalty
        assertThat(coefficients.get("c=east")).isEqualTo(0.0);
        assertRelative(coefficients.get("c=north"), 4.997309565733303, 1e-6);
        assertRelative(coefficients.get("c=south"), -1.001165863408005, 1e-6);
        assertRelative(coefficients.get("(intercept)"), -5.292943262029439, 1e-4);
    }

    @Test
    void ridgeMatchesScikitLearn()
            throws Exception
    {
        TrainedModel model = train(data().table("y", LabelRole.NUMBERS), "l2=2.5");
        Map<String, Double> coefficients = coefficients(model);
        assertRelative(coefficients.get("a"), 3.000010886521938, 1e-6);
        assertRelative(coefficients.get("b"), -0.120346197927941, 1e-6);
        assertRelative(coefficients.get("c=east"), -1.2952446858508333, 1e-6);
        assertRelative(coefficients.get("c=north"), 3.606085952333902, 1e-6);
        assertRelative(coefficients.get("c=south"), -2.3108412664824156, 1e-6);
        assertRelative(coefficients.get("(intercept)"), -8.536811635829508, 1e-4);
    }

    @Test
    void exactDataGivesExactCoefficientsAndOnnxRuntimeAgrees()
            throws Exception
    {
        int rows = 50;
        Double[] a = new Double[rows];
        double[] b = sequence(rows, i -> Math.cos(i) * 10);
        double[] y = new double[rows];
        String[] c = texts(rows, i -> i % 4 == 0 ? null : i % 2 == 0 ? "x" : "y");
        for (int i = 0; i < rows; i++) {
            a[i] = (double) i;
            y[i] = 3 * i - 2 * b[i] + 1 + ("y".equals(c[i]) ? 4 : 0);
        }
        TrainedModel model = train(new TrainingData().numbersWithNulls("a", a).numbers("b", b).texts("c", c).numbers("y", y).table("y", LabelRole.NUMBERS), "");
        Map<String, Double> coefficients = coefficients(model);
        assertThat(coefficients.get("a")).isCloseTo(3, within(1e-9));
        assertThat(coefficients.get("b")).isCloseTo(-2, within(1e-9));
        assertThat(coefficients.get("c=y")).isCloseTo(4, within(1e-9));
        // NULL is the category '' (the first, so the reference one)
        assertThat(coefficients.get("c=")).isEqualTo(0.0);
        assertThat(coefficients.get("(intercept)")).isCloseTo(1, within(1e-9));
        assertThat(model.metrics().get("r2")).isCloseTo(1, within(1e-12));
        assertThat(model.metrics().get("rmse")).isCloseTo(0, within(1e-8));

        // the file scores in ONNX Runtime as the coefficients say: NULL a becomes the mean of a, an unseen category counts as none
        double meanA = (rows - 1) / 2.0;
        try (OrtSession session = new OrtSession(model.onnx())) {
            Map<String, Object> outputs = session
                    .numbers("a", 2, Double.NaN, 10)
                    .numbers("b", 1, 0.5, -3)
                    .texts("c", "y", "", "unseen")
                    .run();
            double[][] prediction = (double[][]) outputs.get("prediction");
            assertThat(prediction[0][0]).isCloseTo(3 * 2 - 2 * 1 + 1 + 4, within(1e-9));
            assertThat(prediction[1][0]).isCloseTo(3 * meanA - 2 * 0.5 + 1, within(1e-9));
            assertThat(prediction[2][0]).isCloseTo(3 * 10 - 2 * -3 + 1 + coefficients.get("c=x"), within(1e-9));
        }
    }

    @Test
    void refusesWhatItCannotSolve()
    {
        double[] a = sequence(20, i -> i);
        double[] twice = sequence(20, i -> 2 * i + 1);
        double[] y = sequence(20, i -> i * 0.5 + Math.sin(i));
        assertThatThrownBy(() -> train(new TrainingData().numbers("a", a).numbers("twice", twice).numbers("y", y).table("y", LabelRole.NUMBERS), ""))
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(INVALID_TRAINING_DATA))
                .hasMessageContaining("linearly dependent")
                .hasMessageContaining("give l2 > 0");
        // with a penalty the same data has one solution
        assertThat(train(new TrainingData().numbers("a", a).numbers("twice", twice).numbers("y", y).table("y", LabelRole.NUMBERS), "l2=0.1").metrics()).containsKey("r2");

        double[] three = sequence(3, i -> i);
        assertThatThrownBy(() -> train(new TrainingData().numbers("a", three).numbers("b", sequence(3, i -> i * i)).numbers("c", sequence(3, Math::sin)).numbers("y", three).table("y", LabelRole.NUMBERS), ""))
                .hasMessage("Model 'test' has 3 features to fit from 3 training rows; linear_regression without l2 needs more rows than features: give l2 > 0 or more rows");
    }

    @Test
    void constantColumnsAreLeftOutWithAWarning()
            throws Exception
    {
        double[] a = sequence(30, i -> i);
        double[] constant = sequence(30, i -> 7);
        double[] y = sequence(30, i -> 2 * i + 3);
        TrainedModel model = train(new TrainingData().numbers("a", a).numbers("constant", constant).numbers("y", y).table("y", LabelRole.NUMBERS), "");
        assertThat(model.warnings()).containsExactly("column 'constant' has the same value in every training row and is not used");
        assertThat(coefficients(model).get("constant")).isEqualTo(0.0);
        assertThat(coefficients(model).get("a")).isCloseTo(2, within(1e-12));
    }

    static TrainedModel train(TrainingTable table, String options)
    {
        return new TrainingRun("test", TrainingOptions.parse(Algorithm.LINEAR_REGRESSION, options), table, TrainingLimits.DEFAULTS, Ticker.systemTicker()).run();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Double> coefficients(TrainedModel model)
            throws Exception
    {
        return JSON.readValue(model.description().get("coefficients"), Map.class);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> classCoefficients(TrainedModel model)
            throws Exception
    {
        return JSON.readValue(model.description().get("coefficients"), Map.class);
    }

    static void assertRelative(double actual, double expected, double relative)
    {
        assertThat(actual).isCloseTo(expected, withPercentage(relative * 100));
    }
}
