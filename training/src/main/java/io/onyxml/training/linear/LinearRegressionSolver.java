package io.onyxml.training.linear;

import com.google.common.collect.ImmutableList;
import io.onyxml.store.OnyxException;
import io.onyxml.training.encoding.FeatureEncoder;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

import java.io.Serializable;

import static io.onyxml.store.OnyxErrorCode.INVALID_TRAINING_DATA;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * Linear regression as a mergeable pass plus a solve: {@link #add} accumulates encoded rows into {@link CoMoments}
 * (one per partition, merged by the engine), {@link #solve} turns the merged moments into the model. Minimises
 * {@code sum (y - b - x w)^2 + l2 |w|^2}, the intercept unpenalised, by Cholesky decomposition of the normal equations
 * after scaling each column to unit length. Serializable, so an engine ships it to where the rows are.
 */
public final class LinearRegressionSolver
        implements Serializable
{
    private final String model;
    private final FeatureEncoder encoder;
    private final double l2;
    private final ActiveSlots active;

    public LinearRegressionSolver(String model, FeatureEncoder encoder, double l2)
    {
        this.model = requireNonNull(model, "model is null");
        this.encoder = requireNonNull(encoder, "encoder is null");
        this.l2 = l2;
        this.active = ActiveSlots.of(encoder, l2 == 0);
        ActiveSlots.checkParameters(model, "linear_regression", active.size() + 1);
    }

    public FeatureEncoder encoder()
    {
        return encoder;
    }

    public CoMoments newMoments()
    {
        return new CoMoments(active.size() + 1);
    }

    /**
     * Adds one encoded row and its label; {@code scratch} holds {@code active slots + 1} doubles, one per caller thread.
     */
    public void add(CoMoments moments, double[] encoded, double label, double[] scratch)
    {
        int size = active.size();
        for (int i = 0; i < size; i++) {
            scratch[i] = encoded[active.slots()[i]];
        }
        scratch[size] = label;
        moments.add(scratch);
    }

    public int scratchSize()
    {
        return active.size() + 1;
    }

    public FittedLinear solve(CoMoments moments)
    {
        int size = active.size();
        if (l2 == 0 && moments.count() <= size) {
            throw new OnyxException(INVALID_TRAINING_DATA, format(
                    "Model '%s' has %s features to fit from %s training rows; linear_regression without l2 needs more rows than features: give l2 > 0 or more rows",
                    model,
                    size,
                    moments.count()));
        }
        double[] coefficients = coefficients(moments, size);
        double[][] weights = new double[encoder.width()][1];
        double intercept = moments.mean(size);
        for (int i = 0; i < size; i++) {
            weights[active.slots()[i]][0] = coefficients[i];
            intercept -= coefficients[i] * moments.mean(i);
        }
        if (!Double.isFinite(intercept)) {
            throw tooLarge();
        }
        return new FittedLinear(model, new LinearModel(encoder, weights, new double[] {intercept}, Link.IDENTITY, ImmutableList.of()), active.warnings());
    }

    private double[] coefficients(CoMoments moments, int size)
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
                throw tooLarge();
            }
        }
        return coefficients;
    }

    private OnyxException tooLarge()
    {
        return new OnyxException(INVALID_TRAINING_DATA, format("The features or the label of model '%s' are too large to solve in double precision; scale them in the input query", model));
    }
}
