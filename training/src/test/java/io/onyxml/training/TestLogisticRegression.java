package io.onyxml.training;

import com.google.common.base.Ticker;
import io.onyxml.store.ModelTask;
import io.onyxml.store.OnyxException;
import io.onyxml.training.data.LabelRole;
import io.onyxml.training.data.TrainingTable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.onyxml.store.OnyxErrorCode.INVALID_TRAINING_DATA;
import static io.onyxml.training.TestLinearRegression.classCoefficients;
import static io.onyxml.training.TrainingData.sequence;
import static io.onyxml.training.TrainingData.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TestLogisticRegression
{
    private static final int ROWS = 200;
    private static final int[] CHECKED_ROWS = {0, 1, 2, 50, 199};

    private static final double[] A = sequence(ROWS, i -> Math.sin(i * 0.7) * 3);
    private static final double[] B = sequence(ROWS, i -> Math.cos(i * 1.3) + 0.01 * i);
    private static final String[] C = texts(ROWS, i -> new String[] {"red", "green", "blue"}[i % 3]);

    /**
     * Probabilities of scikit-learn 1.2.1's {@code LogisticRegression(C=1.0, tol=1e-12)} on
     * [StandardScaler(a, b), one-hot(c)] for rows 0, 1, 2, 50 and 199.
     */
    @Test
    void binaryMatchesScikitLearn()
            throws Exception
    {
        String[] label = texts(ROWS, i -> A[i] - 2 * B[i] + ("red".equals(C[i]) ? 1.5 : 0) + Math.sin(i * 5.1) > 0 ? "1" : "0");
        TrainedModel model = train(new TrainingData().numbers("a", A).numbers("b", B).texts("c", C).texts("y", label).table("y", LabelRole.CLASSES), "");
        assertThat(model.task()).isEqualTo(ModelTask.CLASSIFICATION);
        assertThat(model.classLabels()).containsExactly("0", "1");
        double[] expected = {0.2448442277231527, 0.9312799253408792, 0.9982939084882405, 0.12009331002583729, 0.08618415127121777};
        try (OrtSession session = inputs(new OrtSession(model.onnx()))) {
            Map<String, Object> outputs = session.run();
            double[][] probabilities = (double[][]) outputs.get("probabilities");
            long[] labels = (long[]) outputs.get("label");
            for (int i = 0; i < CHECKED_ROWS.length; i++) {
                assertThat(probabilities[i][1]).isCloseTo(expected[i], within(1e-4));
                assertThat(probabilities[i][0] + probabilities[i][1]).isCloseTo(1, within(1e-12));
                assertThat(labels[i]).isEqualTo(expected[i] > 0.5 ? 1 : 0);
            }
        }
        // scikit-learn's coefficients are on the standardised scale; on the original scale a's is theirs divided by a's deviation
        @SuppressWarnings("unchecked")
        Map<String, Double> coefficients = (Map<String, Double>) classCoefficients(model).get("1");
        double meanA = mean(A);
        double meanB = mean(B);
        double deviationA = deviation(A, meanA);
        double deviationB = deviation(B, meanB);
        assertThat(coefficients.get("a")).isCloseTo(3.1102734511870356 / deviationA, within(1e-5));
        assertThat(coefficients.get("b")).isCloseTo(-2.5210568655129295 / deviationB, within(1e-5));
        assertThat(coefficients.get("c=blue")).isCloseTo(-0.9048689639705415, within(1e-5));
        assertThat(coefficients.get("c=green")).isCloseTo(-0.09597849529611457, within(1e-5));
        assertThat(coefficients.get("c=red")).isCloseTo(1.0008452890873292, within(1e-5));
        assertThat(coefficients.get("(intercept)")).isCloseTo(-2.1061273953068813 - 3.1102734511870356 * meanA / deviationA + 2.5210568655129295 * meanB / deviationB, within(1e-5));
        assertThat(model.metrics()).containsKeys("accuracy", "log_loss", "auc", "f1_macro");
    }

    /**
     * scikit-learn 1.2.1's multinomial {@code LogisticRegression(C=0.5, tol=1e-12)} on the same features.
     */
    @Test
    void multinomialMatchesScikitLearn()
            throws Exception
    {
        String[] label = new String[ROWS];
        for (int i = 0; i < ROWS; i++) {
            double[] scores = {A[i], B[i] - 0.5, 0.5 + Math.sin(i * 2.3)};
            int best = 0;
            for (int k = 1; k < 3; k++) {
                if (scores[k] > scores[best]) {
                    best = k;
                }
            }
            label[i] = new String[] {"x", "y", "z"}[best];
        }
        TrainedModel model = train(new TrainingData().numbers("a", A).numbers("b", B).texts("c", C).texts("y", label).table("y", LabelRole.CLASSES), "l2=2");
        assertThat(model.classLabels()).containsExactly("x", "y", "z");
        double[][] expected = {
                {0.23315505472309356, 0.39862108058651585, 0.3682238646903906},
                {0.9327224781703064, 0.012948710460800223, 0.054328811368893344},
                {0.9886723065797461, 0.0004172434080040487, 0.010910450012249724},
                {0.04430287848077544, 0.09193284041298413, 0.8637642811062405},
                {0.7857418142215409, 0.20704281329290167, 0.007215372485557428}};
        try (OrtSession session = inputs(new OrtSession(model.onnx()))) {
            Map<String, Object> outputs = session.run();
            double[][] probabilities = (double[][]) outputs.get("probabilities");
            String[] labels = (String[]) outputs.get("label");
            for (int i = 0; i < CHECKED_ROWS.length; i++) {
                for (int k = 0; k < 3; k++) {
                    assertThat(probabilities[i][k]).isCloseTo(expected[i][k], within(1e-4));
                }
                int best = expected[i][0] > expected[i][1] ? (expected[i][0] > expected[i][2] ? 0 : 2) : (expected[i][1] > expected[i][2] ? 1 : 2);
                assertThat(labels[i]).isEqualTo(List.of("x", "y", "z").get(best));
            }
        }
        assertThat(model.metrics()).containsKeys("accuracy", "log_loss", "f1_macro").doesNotContainKey("auc");
    }

    @Test
    void numericLabelsAreClassesInNumericOrder()
    {
        double[] x = sequence(40, i -> i);
        String[] label = texts(40, i -> i < 20 ? "10" : i % 2 == 0 ? "9" : "10.5");
        TrainedModel model = train(new TrainingData().numbers("x", x).texts("y", label).table("y", LabelRole.CLASSES), "");
        assertThat(model.classLabels()).containsExactly("9", "10", "10.5");
    }

    @Test
    void oneClassIsRefused()
    {
        TrainingTable table = new TrainingData().numbers("x", sequence(10, i -> i)).texts("y", texts(10, i -> "same")).table("y", LabelRole.CLASSES);
        assertThatThrownBy(() -> train(table, ""))
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(INVALID_TRAINING_DATA))
                .hasMessage("Label 'y' has a single class ('same'); logistic_regression needs at least two classes");
    }

    private static double mean(double[] values)
    {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    private static double deviation(double[] values, double mean)
    {
        double sum = 0;
        for (double value : values) {
            sum += (value - mean) * (value - mean);
        }
        return Math.sqrt(sum / values.length);
    }

    private static OrtSession inputs(OrtSession session)
            throws Exception
    {
        double[] a = new double[CHECKED_ROWS.length];
        double[] b = new double[CHECKED_ROWS.length];
        String[] c = new String[CHECKED_ROWS.length];
        for (int i = 0; i < CHECKED_ROWS.length; i++) {
            a[i] = A[CHECKED_ROWS[i]];
            b[i] = B[CHECKED_ROWS[i]];
            c[i] = C[CHECKED_ROWS[i]];
        }
        return session.numbers("a", a).numbers("b", b).texts("c", c);
    }

    static TrainedModel train(TrainingTable table, String options)
    {
        return new TrainingRun("test", TrainingOptions.parse(Algorithm.LOGISTIC_REGRESSION, options), table, TrainingLimits.DEFAULTS, Ticker.systemTicker()).run();
    }
}
