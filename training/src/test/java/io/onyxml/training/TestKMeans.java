package io.onyxml.training;

import com.google.common.base.Ticker;
import com.google.common.io.Resources;
import io.onyxml.store.ModelTask;
import io.onyxml.training.data.LabelRole;
import io.onyxml.training.data.TrainingTable;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

class TestKMeans
{
    /**
     * scikit-learn 1.2.1's {@code KMeans(n_clusters=3, n_init=10, random_state=0).fit(load_iris().data).inertia_}.
     */
    @Test
    void irisInertiaMatchesScikitLearn()
            throws Exception
    {
        List<String> lines = Resources.readLines(Resources.getResource(TestKMeans.class, "iris.csv"), UTF_8);
        int rows = lines.size() - 1;
        double[][] columns = new double[4][rows];
        for (int row = 0; row < rows; row++) {
            String[] fields = lines.get(row + 1).split(",");
            for (int column = 0; column < 4; column++) {
                columns[column][row] = Double.parseDouble(fields[column]);
            }
        }
        TrainingTable table = new TrainingData()
                .numbers("sepal_length", columns[0])
                .numbers("sepal_width", columns[1])
                .numbers("petal_length", columns[2])
                .numbers("petal_width", columns[3])
                .table(null, LabelRole.NONE);
        TrainedModel model = train(table, "k=3, n_init=10");
        assertThat(model.task()).isEqualTo(ModelTask.CLUSTERING);
        assertThat(model.metrics().get("inertia")).isCloseTo(78.851441426146, withPercentage(1e-2));
        assertThat(model.clusterSizes().orElseThrow()).hasSize(3).containsExactlyInAnyOrder(50L, 62L, 38L);
    }

    @Test
    void findsWellSeparatedBlobsAndOnnxRuntimeAgrees()
            throws Exception
    {
        int rows = 300;
        double[][] centres = {{0, 0}, {10, 10}, {-10, 10}};
        double[] x = new double[rows];
        double[] y = new double[rows];
        String[] kind = new String[rows];
        int[] truth = new int[rows];
        for (int i = 0; i < rows; i++) {
            truth[i] = i % 3;
            x[i] = centres[truth[i]][0] + Math.sin(i * 1.7);
            y[i] = centres[truth[i]][1] + Math.cos(i * 2.9);
            kind[i] = truth[i] == 1 ? "b" : "a";
        }
        TrainedModel model = train(new TrainingData().numbers("x", x).numbers("y", y).texts("kind", kind).table(null, LabelRole.NONE), "k=3, seed=7");
        try (OrtSession session = new OrtSession(model.onnx()).numbers("x", x).numbers("y", y).texts("kind", kind)) {
            Map<String, Object> outputs = session.run();
            long[] clusters = (long[]) outputs.get("cluster");
            double[][] distances = (double[][]) outputs.get("distances");
            // each true blob maps to one cluster, and different blobs to different clusters
            Map<Integer, Long> clusterOfBlob = new HashMap<>();
            double inertia = 0;
            for (int i = 0; i < rows; i++) {
                Long previous = clusterOfBlob.putIfAbsent(truth[i], clusters[i]);
                assertThat(previous == null ? clusters[i] : previous).isEqualTo(clusters[i]);
                double nearest = distances[i][(int) clusters[i]];
                for (double distance : distances[i]) {
                    assertThat(distance).isGreaterThanOrEqualTo(nearest);
                }
                inertia += nearest * nearest;
            }
            assertThat(clusterOfBlob.values()).doesNotHaveDuplicates().hasSize(3);
            assertThat(model.metrics().get("inertia")).isCloseTo(inertia, within(1e-9 * inertia));
        }
        assertThat(model.clusterSizes().orElseThrow()).containsOnly(100L);
    }

    @Test
    void wideModelsUseTheExpandedDistanceAndAgree()
            throws Exception
    {
        // 2 numbers and 120 categories, k = 40: 4,880 centre values, past the exact form's limit
        int rows = 2000;
        double[] x = new double[rows];
        double[] y = new double[rows];
        String[] kind = new String[rows];
        for (int i = 0; i < rows; i++) {
            x[i] = (i % 40) * 10 + Math.sin(i);
            y[i] = Math.cos(i * 1.3);
            kind[i] = "k" + (i % 120);
        }
        TrainedModel model = train(new TrainingData().numbers("x", x).numbers("y", y).texts("kind", kind).table(null, LabelRole.NONE), "k=40");
        try (OrtSession session = new OrtSession(model.onnx()).numbers("x", x).numbers("y", y).texts("kind", kind)) {
            Map<String, Object> outputs = session.run();
            long[] clusters = (long[]) outputs.get("cluster");
            double[][] distances = (double[][]) outputs.get("distances");
            double inertia = 0;
            for (int i = 0; i < rows; i++) {
                double nearest = distances[i][(int) clusters[i]];
                inertia += nearest * nearest;
            }
            assertThat(model.metrics().get("inertia")).isCloseTo(inertia, within(1e-6 * inertia));
        }
    }

    static TrainedModel train(TrainingTable table, String options)
    {
        return new TrainingRun("test", TrainingOptions.parse(Algorithm.KMEANS, options), table, TrainingLimits.DEFAULTS, Ticker.systemTicker()).run();
    }
}
