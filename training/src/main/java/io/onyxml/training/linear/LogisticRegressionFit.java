package io.onyxml.training.linear;

import io.onyxml.training.Fit;
import io.onyxml.training.FittedModel;
import io.onyxml.training.data.TrainingTable;
import io.onyxml.training.encoding.FeatureEncoder;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Logistic regression over one table's rows: each {@link #advance()} is one {@link LogisticRegressionSolver} pass
 * (see there for the objective and the solver).
 */
public final class LogisticRegressionFit
        implements Fit
{
    private final TrainingTable table;
    private final int[] rows;
    private final int[] classOfCode;
    private final LogisticRegressionSolver solver;
    private final double[] encoded;
    private final double[] scratch;
    private boolean done;

    public LogisticRegressionFit(String model, TrainingTable table, int[] rows, FeatureEncoder encoder, List<String> classLabels, double l2, long maxIterations, double tolerance)
    {
        this.table = requireNonNull(table, "table is null");
        this.rows = requireNonNull(rows, "rows is null");
        this.classOfCode = table.classIndexes(classLabels);
        this.solver = new LogisticRegressionSolver(model, encoder, classLabels, l2, maxIterations, tolerance);
        this.encoded = new double[encoder.width()];
        this.scratch = new double[solver.scratchSize()];
    }

    @Override
    public boolean advance()
    {
        if (done) {
            return false;
        }
        LogisticPass pass = solver.newPass();
        int[] codes = table.labelCodes();
        for (int row : rows) {
            solver.encoder().encode(table, row, encoded);
            solver.add(pass, encoded, classOfCode[codes[row]], scratch);
        }
        done = !solver.accept(pass, rows.length);
        return !done;
    }

    @Override
    public FittedModel fitted()
    {
        return solver.fitted();
    }
}
