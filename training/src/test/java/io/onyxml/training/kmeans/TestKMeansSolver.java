package io.onyxml.training.kmeans;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.inference.batch.StringColumn;
import io.onyxml.training.TrainingLimits;
import io.onyxml.training.data.LabelRole;
import io.onyxml.training.data.RowHash;
import io.onyxml.training.data.TrainingColumn;
import io.onyxml.training.data.TrainingTable;
import io.onyxml.training.data.TrainingTableBuilder;
import io.onyxml.training.encoding.FeatureEncoder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * k-means gives the same clusters for the same rows whatever their order or partitioning: the seeding draws from
 * hashes of the rows' values, every pass is summed per partition and merged.
 */
class TestKMeansSolver
{
    private static final int ROWS = 600;

    @Test
    void theSameRowsInAnotherOrderGiveTheSameCentres()
    {
        // overlapping clouds, so the seeding and the iterations have work to do
        double[] x = new double[ROWS];
        double[] y = new double[ROWS];
        String[] kind = new String[ROWS];
        for (int i = 0; i < ROWS; i++) {
            x[i] = Math.sin(i * 0.37) * 4 + (i % 7);
            y[i] = Math.cos(i * 1.91) * 3 - (i % 5);
            kind[i] = i % 11 == 0 ? null : "k" + (i % 3);
        }
        int[] shuffled = permutation(ROWS, 17);
        TrainingTable forward = table(x, y, kind, identity(ROWS));
        TrainingTable permuted = table(x, y, kind, shuffled);

        FittedKMeans fromTable = fitOnTable(forward, 6, 3);
        FittedKMeans fromPermuted = fitOnTable(permuted, 6, 3);
        FittedKMeans fromPartitions = fitInPartitions(permuted, 6, 3, 4);
        assertSameCentres(fromPermuted, fromTable);
        assertSameCentres(fromPartitions, fromTable);

        // every row goes to the same cluster
        double[] encoded = new double[fromTable.encoder().width()];
        double[] distance = new double[1];
        for (int i = 0; i < ROWS; i++) {
            fromTable.encoder().encode(forward, i, encoded);
            int cluster = fromTable.nearest(encoded, distance);
            assertThat(fromPartitions.nearest(encoded, distance)).isEqualTo(cluster);
            assertThat(fromPermuted.nearest(encoded, distance)).isEqualTo(cluster);
        }
    }

    @Test
    void separatedBlobsAreFoundAtTheirMeans()
    {
        // four tight blobs far apart: whatever the seeding picks first, k-means++ spreads the centres over the four
        // blobs, and Lloyd's iterations end at each blob's mean
        double[][] blobs = {{-50, -50}, {50, -50}, {-50, 50}, {50, 50}};
        double[] x = new double[ROWS];
        double[] y = new double[ROWS];
        double[][] sums = new double[4][2];
        for (int i = 0; i < ROWS; i++) {
            x[i] = blobs[i % 4][0] + Math.sin(i * 3.3);
            y[i] = blobs[i % 4][1] + Math.cos(i * 7.1);
            sums[i % 4][0] += x[i];
            sums[i % 4][1] += y[i];
        }
        FittedKMeans fitted = fitInPartitions(table(x, y, new String[ROWS], permutation(ROWS, 3)), 4, 1, 3);
        List<double[]> centres = new ArrayList<>(Arrays.asList(fitted.centres()));
        for (double[] sum : sums) {
            double[] mean = {sum[0] / (ROWS / 4), sum[1] / (ROWS / 4)};
            // the text column of NULLs is one category: a constant slot of 1
            assertThat(centres).anySatisfy(centre -> {
                assertThat(centre[0]).isCloseTo(mean[0], within(1e-9));
                assertThat(centre[1]).isCloseTo(mean[1], within(1e-9));
            });
        }
    }

    @Test
    void fewerDistinctRowsThanClustersStillEnd()
    {
        double[] x = {1, 1, 1, 5, 5, 5};
        double[] y = {0, 0, 0, 0, 0, 0};
        FittedKMeans fitted = fitInPartitions(table(x, y, new String[6], identity(6)), 3, 2, 2);
        assertThat(fitted.centres()).hasNumberOfRows(3);
        assertThat(Arrays.stream(fitted.centres()).mapToDouble(centre -> centre[0]).distinct().sorted().toArray()).containsExactly(1, 5);
    }

    private static void assertSameCentres(FittedKMeans actual, FittedKMeans expected)
    {
        assertThat(actual.centres().length).isEqualTo(expected.centres().length);
        for (int cluster = 0; cluster < expected.centres().length; cluster++) {
            for (int slot = 0; slot < expected.centres()[cluster].length; slot++) {
                assertThat(actual.centres()[cluster][slot]).isCloseTo(expected.centres()[cluster][slot], within(1e-9));
            }
        }
    }

    private static FittedKMeans fitOnTable(TrainingTable table, int clusters, long runs)
    {
        KMeansFit fit = new KMeansFit("test", table, identity(table.rows()), FeatureEncoder.fit(table, identity(table.rows()), false), clusters, runs, 300, 1e-4, 42);
        while (fit.advance()) {
            // one pass each
        }
        return (FittedKMeans) fit.fitted();
    }

    /**
     * As an engine that sees its rows in partitions does: one pass per partition, without remembering anything per
     * row, merged in an order other than the partitions'.
     */
    private static FittedKMeans fitInPartitions(TrainingTable table, int clusters, long runs, int partitions)
    {
        KMeansSolver solver = new KMeansSolver("test", FeatureEncoder.fit(table, identity(table.rows()), false), clusters, runs, 300, 1e-4);
        double[] encoded = new double[solver.encoder().width()];
        boolean more = true;
        while (more) {
            List<KMeansPass> passes = new ArrayList<>();
            for (int partition = 0; partition < partitions; partition++) {
                KMeansPass pass = solver.newPass();
                for (int row = partition; row < table.rows(); row += partitions) {
                    solver.encoder().encode(table, row, encoded);
                    solver.add(pass, encoded, RowHash.of(table, row, 42), Double.NaN);
                }
                passes.add(pass);
            }
            KMeansPass merged = passes.get(partitions - 1);
            for (int partition = 0; partition < partitions - 1; partition++) {
                merged = merged.merge(passes.get(partition));
            }
            more = solver.accept(merged);
        }
        return solver.fitted();
    }

    private static TrainingTable table(double[] x, double[] y, String[] kind, int[] order)
    {
        double[] orderedX = new double[order.length];
        double[] orderedY = new double[order.length];
        String[] orderedKind = new String[order.length];
        for (int i = 0; i < order.length; i++) {
            orderedX[i] = x[order[i]];
            orderedY[i] = y[order[i]];
            orderedKind[i] = kind[order[i]];
        }
        TrainingTableBuilder builder = new TrainingTableBuilder(
                "test",
                List.of(new TrainingColumn("x", ScalarType.DOUBLE), new TrainingColumn("y", ScalarType.DOUBLE), new TrainingColumn("kind", ScalarType.VARCHAR)),
                Optional.empty(),
                LabelRole.NONE,
                TrainingLimits.DEFAULTS);
        builder.append(ImmutableList.<Column>of(new DoubleColumn(orderedX, null), new DoubleColumn(orderedY, null), new StringColumn(orderedKind)), Optional.empty());
        return builder.build();
    }

    private static int[] identity(int size)
    {
        int[] rows = new int[size];
        Arrays.setAll(rows, row -> row);
        return rows;
    }

    /**
     * A fixed shuffle (Fisher-Yates over a linear congruential sequence).
     */
    private static int[] permutation(int size, long seed)
    {
        int[] order = identity(size);
        long state = seed;
        for (int i = size - 1; i > 0; i--) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            int j = (int) Long.remainderUnsigned(state >>> 33, i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
