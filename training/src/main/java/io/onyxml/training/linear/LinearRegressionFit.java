package io.onyxml.training.linear;

import com.google.common.collect.ImmutableList;
import io.onyxml.store.OnyxException;
import io.onyxml.training.Fit;
import io.onyxml.training.FittedModel;
import io.onyxml.training.data.TrainingTable;
import io.onyxml.training.encoding.FeatureEncoder;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

import static io.onyxml.store.OnyxErrorCode.INVALID_TRAINING_DATA;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * Linear regression: minimises {@code sum (y - b - x w)^2 + l2 |w|^2}, the intercept unpenalised (scikit-learn's
 * {@code LinearRegression} for l2 = 0, {@code Ridge(alpha = l2)} otherwise). One pass gathers the centred
 * cross-products ({@link CoMoments}), then the normal equations are solved by Cholesky decomposition (EJML) after
 * scaling each column to unit length, which keeps badly scaled features accurate.
 */
public final class LinearRegressionFit
        implements Fit
{
    private final String model;
    private final TrainingTable table;
    private final int[] rows;
    private final FeatureEncoder encoder;
    private final double l2;
    private FittedLinear fitted;

    public LinearRegressionFit(String model, TrainingTable table, int[] rows, FeatureEncoder encoder, double l2)
    {
        this.model = requireNonNull(model, "model is null");
        this.table = requireNonNull(table, "table is null");
        this.rows = requireNonNull(rows, "rows is null");
        this.encoder = requireNonNull(encoder, "encoder is null");
        this.l2 = l2;
    }

    @Override
    public boolean advance()
    {
        if (fitted != null) {
            return false;
        }
        ActiveSlots active = ActiveSlots.of(encoder, l2 == 0);
        int size = active.size();
        ActiveSlots.checkParameters(model, "linear_regression", size + 1);
        if (l2 == 0 && rows.length <= size) {
            throw new OnyxException(INVALID_TRAINING_DATA, format(
                    "Model '%s' has %s features to fit from %s training rows; linear_regression without l2 needs more rows than features: give l2 > 0 or more rows",
                    model,
                    size,
                    rows.length));
        }
        CoMoments moments = new CoMoments(size + 1);
        double[] encoded = new double[encoder.width()];
        double[] values = new double[size + 1];
        double[] label = table.labelNumbers().orElseThrow();
        for (int row : rows) {
            encoder.encode(table, row, encoded);
            for (int i = 0; i < size; i++) {
                values[i] = encoded[active.slots()[i]];
            }
            values[size] = label[row];
            moments.add(values);
        }
        double[] coefficients = solve(moments, size);
        double[][] weights = new double[encoder.width()][1];
        double intercept = moments.mean(size);
        for (int i = 0; i < size; i++) {
            weights[active.slots()[i]][0] = coefficients[i];
            intercept -= coefficients[i] * moments.mean(i);
        }
        if (!Double.isFinite(intercept)) {
            throw new OnyxException(INVALID_TRAINING_DATA, format("The features or the label of model '%s' are too large to solve in double precision; scale them in the input query", model));
        }
        fitted = new FittedLinear(model, new LinearModel(encoder, weights, new double[] {intercept}, Link.IDENTITY, ImmutableList.of()), active.warnings());
        return false;
    }

    private double[] solve(CoMoments moments, int size)
    {
        if (size == 0) {
            return new double[0];
        }
        // scale each column to unit length: D^-1 (X'X + l2 I) D^-1 v = D^-1 X'y, w = D^-1 v
        double[] lengths = new double[size];
        for (int i = 0; i < size; i++) {
            lengths[i] = Math.sqrt(moments.product(i, i));
        }
        DMatrixRMaj normal = new DMatrixRMaj(size, size);
        DMatrixRMaj right = new DMatrixRMaj(size, 1);
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                double value = moments.product(i, j) + (i == j ? l2 : 0);
                normal.set(i, j, value / (lengths[i] * lengths[j]));
            }
            right.set(i, 0, moments.product(i, size) / lengths[i]);
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(size);
        if (!solver.setA(normal) || !(solver.quality() >= 1e-13)) {
            throw new OnyxException(INVALID_TRAINING_DATA, format(
                    "The features of model '%s' are linearly dependent (a column is a multiple or a sum of others, or text categories that always occur together): give l2 > 0 or leave out the redundant columns",
                    model));
        }
        DMatrixRMaj solution = new DMatrixRMaj(size, 1);
        solver.solve(right, solution);
        double[] coefficients = new double[size];
        for (int i = 0; i < size; i++) {
            coefficients[i] = solution.get(i, 0) / lengths[i];
            if (!Double.isFinite(coefficients[i])) {
                throw new OnyxException(INVALID_TRAINING_DATA, format("The features or the label of model '%s' are too large to solve in double precision; scale them in the input query", model));
            }
        }
        return coefficients;
    }

    @Override
    public FittedModel fitted()
    {
        return requireNonNull(fitted, "not fitted yet");
    }
}
