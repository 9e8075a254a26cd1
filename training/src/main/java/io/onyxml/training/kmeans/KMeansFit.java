package io.onyxml.training.kmeans;

import io.onyxml.training.Fit;
import io.onyxml.training.FittedModel;
import io.onyxml.training.data.RowHash;
import io.onyxml.training.data.TrainingTable;
import io.onyxml.training.encoding.FeatureEncoder;

import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * k-means over one table's rows: each {@link #advance()} is one {@link KMeansSolver} pass (see there for the
 * objective, the seeding and the iterations). Each row's hash and its distance to the centres chosen so far are kept
 * between passes, one long and one double per row.
 */
public final class KMeansFit
        implements Fit
{
    private final TrainingTable table;
    private final int[] rows;
    private final KMeansSolver solver;
    private final long[] hashes;
    private final double[] remembered;
    private final double[] encoded;
    private boolean done;

    public KMeansFit(String model, TrainingTable table, int[] rows, FeatureEncoder encoder, int clusters, long runs, long maxIterations, double tolerance, long seed)
    {
        this.table = requireNonNull(table, "table is null");
        this.rows = requireNonNull(rows, "rows is null");
        this.solver = new KMeansSolver(model, encoder, clusters, runs, maxIterations, tolerance);
        this.hashes = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            hashes[i] = RowHash.of(table, rows[i], seed);
        }
        this.remembered = new double[rows.length];
        Arrays.fill(remembered, Double.NaN);
        this.encoded = new double[encoder.width()];
    }

    @Override
    public boolean advance()
    {
        if (done) {
            return false;
        }
        KMeansPass pass = solver.newPass();
        for (int i = 0; i < rows.length; i++) {
            solver.encoder().encode(table, rows[i], encoded);
            remembered[i] = solver.add(pass, encoded, hashes[i], remembered[i]);
        }
        done = !solver.accept(pass);
        return !done;
    }

    @Override
    public FittedModel fitted()
    {
        return solver.fitted();
    }
}
