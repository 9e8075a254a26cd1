package io.onyxml.training.linear;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * What an engine computes per partition merges into what one pass over all rows computes.
 */
class TestPartialResults
{
    @Test
    void coMomentsMerge()
    {
        SplittableRandom random = new SplittableRandom(1);
        CoMoments all = new CoMoments(3);
        CoMoments first = new CoMoments(3);
        CoMoments second = new CoMoments(3);
        for (int row = 0; row < 1000; row++) {
            double[] values = {1e6 + random.nextDouble(), random.nextGaussian(), row};
            all.add(values);
            (row % 3 == 0 ? first : second).add(values);
        }
        first.merge(second);
        for (int i = 0; i < 3; i++) {
            assertThat(first.mean(i)).isCloseTo(all.mean(i), within(1e-9 * Math.abs(all.mean(i))));
            for (int j = 0; j < 3; j++) {
                double scale = Math.sqrt(all.product(i, i) * all.product(j, j));
                assertThat(first.product(i, j)).isCloseTo(all.product(i, j), within(1e-8 * scale));
            }
        }
        // the centred products are exact where sums of squares of a million-offset column would not be
        double variance = all.product(0, 0) / all.count();
        assertThat(variance).isCloseTo(1.0 / 12, within(0.01));
    }

    @Test
    void logisticPassesMerge()
    {
        SplittableRandom random = new SplittableRandom(2);
        double[] theta = {0.3, -0.2, 0.1, 0.5, 0.0, -0.4};
        LogisticPass all = new LogisticPass(theta, 1, 3);
        LogisticPass first = new LogisticPass(theta, 1, 3);
        LogisticPass second = new LogisticPass(theta, 1, 3);
        for (int row = 0; row < 500; row++) {
            double[] x = {random.nextGaussian()};
            int truth = random.nextInt(3);
            all.add(x, truth);
            (row % 2 == 0 ? first : second).add(x, truth);
        }
        first.merge(second);
        assertThat(first.loss()).isCloseTo(all.loss(), within(1e-9));
        for (int i = 0; i < 6; i++) {
            assertThat(first.gradient()[i]).isCloseTo(all.gradient()[i], within(1e-9));
            for (int j = 0; j < 6; j++) {
                assertThat(first.hessian(i, j)).isCloseTo(all.hessian(i, j), within(1e-9));
                assertThat(all.hessian(i, j)).isCloseTo(all.hessian(j, i), within(1e-12));
            }
        }
    }

    @Test
    void logisticGradientIsTheDerivativeOfTheLoss()
    {
        double[][] rows = {{0.5, -1}, {1.5, 2}, {-0.3, 0.7}, {2, -2}};
        int[] truth = {0, 1, 2, 1};
        double[] theta = {0.2, -0.1, 0.3, 0.4, 0.1, -0.5, -0.2, 0.3, 0.05};
        LogisticPass pass = evaluate(theta, rows, truth);
        double step = 1e-6;
        for (int i = 0; i < theta.length; i++) {
            double[] up = theta.clone();
            double[] down = theta.clone();
            up[i] += step;
            down[i] -= step;
            double numeric = (evaluate(up, rows, truth).loss() - evaluate(down, rows, truth).loss()) / (2 * step);
            assertThat(pass.gradient()[i]).isCloseTo(numeric, within(1e-7));
            for (int j = 0; j < theta.length; j++) {
                double numericHessian = (evaluate(up, rows, truth).gradient()[j] - evaluate(down, rows, truth).gradient()[j]) / (2 * step);
                assertThat(pass.hessian(i, j)).isCloseTo(numericHessian, within(1e-6));
            }
        }
    }

    private static LogisticPass evaluate(double[] theta, double[][] rows, int[] truth)
    {
        LogisticPass pass = new LogisticPass(theta, 2, 3);
        for (int row = 0; row < rows.length; row++) {
            pass.add(rows[row], truth[row]);
        }
        return pass;
    }
}
