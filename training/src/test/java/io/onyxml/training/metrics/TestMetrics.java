package io.onyxml.training.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TestMetrics
{
    @Test
    void regressionByHand()
    {
        // truth 1, 2, 3, 4; predictions 1.5, 2, 2, 5: errors -0.5, 0, 1, -1
        RegressionMetrics metrics = new RegressionMetrics();
        metrics.add(1, 1.5);
        metrics.add(2, 2);
        RegressionMetrics other = new RegressionMetrics();
        other.add(3, 2);
        other.add(4, 5);
        metrics.merge(other);
        // SSE = 0.25 + 0 + 1 + 1 = 2.25, SST = 5 (mean 2.5)
        assertThat(metrics.metrics().get("r2")).isCloseTo(1 - 2.25 / 5, within(1e-15));
        assertThat(metrics.metrics().get("rmse")).isCloseTo(Math.sqrt(2.25 / 4), within(1e-15));
        assertThat(metrics.metrics().get("mae")).isCloseTo(2.5 / 4, within(1e-15));
    }

    @Test
    void binaryClassificationByHand()
    {
        // scores of the positive class: positives 0.9, 0.4, 0.6; negatives 0.4, 0.2
        ClassificationMetrics metrics = new ClassificationMetrics(2);
        add(metrics, 1, 0.9);
        add(metrics, 1, 0.4);
        add(metrics, 0, 0.4);
        ClassificationMetrics other = new ClassificationMetrics(2);
        add(other, 1, 0.6);
        add(other, 0, 0.2);
        metrics.merge(other);
        // pairs (positive, negative): 0.9 beats both, 0.6 beats both, 0.4 ties 0.4 and beats 0.2: (2 + 2 + 1.5) / 6
        assertThat(metrics.metrics().get("auc")).isCloseTo(5.5 / 6, within(1e-15));
        // predicted (p >= 0.5 is class 1): 1, 0, 0, 1, 0 against truth 1, 1, 0, 1, 0: 4 of 5
        assertThat(metrics.metrics().get("accuracy")).isCloseTo(0.8, within(1e-15));
        double logLoss = -(Math.log(0.9) + Math.log(0.4) + Math.log(0.6) + Math.log(0.6) + Math.log(0.8)) / 5;
        assertThat(metrics.metrics().get("log_loss")).isCloseTo(logLoss, within(1e-15));
        // class 1: tp 2, fn 1, fp 0: F1 = 4/5; class 0: tp 2, fn 0, fp 1: F1 = 4/5
        assertThat(metrics.metrics().get("f1_macro")).isCloseTo(0.8, within(1e-15));
    }

    @Test
    void unknownTruthIsWrong()
    {
        ClassificationMetrics metrics = new ClassificationMetrics(3);
        metrics.add(0, 0, new double[] {0.5, 0.25, 0.25});
        metrics.add(-1, 1, new double[] {0.2, 0.6, 0.2});
        assertThat(metrics.metrics().get("accuracy")).isEqualTo(0.5);
        assertThat(metrics.metrics().get("log_loss")).isCloseTo((-Math.log(0.5) - Math.log(1e-15)) / 2, within(1e-12));
        assertThat(metrics.metrics()).doesNotContainKey("auc");
    }

    @Test
    void clustering()
    {
        ClusteringMetrics metrics = new ClusteringMetrics(2);
        metrics.add(0, 1.5);
        metrics.add(1, 2);
        metrics.add(1, 0.5);
        assertThat(metrics.metrics().get("inertia")).isEqualTo(4.0);
        assertThat(metrics.clusterSizes()).containsExactly(1L, 2L);
    }

    private static void add(ClassificationMetrics metrics, int truth, double positive)
    {
        metrics.add(truth, positive >= 0.5 ? 1 : 0, new double[] {1 - positive, positive});
    }
}
