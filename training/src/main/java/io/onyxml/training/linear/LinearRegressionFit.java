package io.onyxml.training.linear;

import io.onyxml.training.Fit;
import io.onyxml.training.FittedModel;
import io.onyxml.training.data.TrainingTable;
import io.onyxml.training.encoding.FeatureEncoder;

import static java.util.Objects.requireNonNull;

/**
 * Linear regression over one table's rows: one pass of {@link LinearRegressionSolver#add}, then its solve (see there
 * for the objective).
 */
public final class LinearRegressionFit
        implements Fit
{
    private final TrainingTable table;
    private final int[] rows;
    private final LinearRegressionSolver solver;
    private FittedLinear fitted;

    public LinearRegressionFit(String model, TrainingTable table, int[] rows, FeatureEncoder encoder, double l2)
    {
        this.table = requireNonNull(table, "table is null");
        this.rows = requireNonNull(rows, "rows is null");
        this.solver = new LinearRegressionSolver(model, encoder, l2);
    }

    @Override
    public boolean advance()
    {
        if (fitted != null) {
            return false;
        }
        FeatureEncoder encoder = solver.encoder();
        CoMoments moments = solver.newMoments();
        double[] encoded = new double[encoder.width()];
        double[] scratch = new double[solver.scratchSize()];
        double[] label = table.labelNumbers().orElseThrow();
        for (int row : rows) {
            encoder.encode(table, row, encoded);
            solver.add(moments, encoded, label[row], scratch);
        }
        fitted = solver.solve(moments);
        return false;
    }

    @Override
    public FittedModel fitted()
    {
        return requireNonNull(fitted, "not fitted yet");
    }
}
