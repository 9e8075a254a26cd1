package io.onyxml.training.linear;

import com.google.common.collect.ImmutableList;
import io.onyxml.store.OnyxException;
import io.onyxml.training.encoding.FeatureEncoder;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import static io.onyxml.store.OnyxErrorCode.INVALID_TRAINING_DATA;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * Logistic regression, binary or multinomial: minimises {@code sum log-loss + (l2 / 2) |W|^2} over the encoded
 * (by default standardised) features, intercepts unpenalised: scikit-learn's {@code LogisticRegression(C = 1 / l2)}
 * on {@code StandardScaler}-ed features. Solved by Newton's method (IRLS) with a backtracking line search; each
 * pass over the rows ({@link LogisticPass}, mergeable across partitions) goes to {@link #accept}, and the fit stops when the largest gradient
 * component per row is at most {@code tolerance}, or after {@code max_iter} Newton steps with a warning.
 */
public final class LogisticRegressionSolver
        implements Serializable
{
    private static final double ARMIJO = 1e-4;

    private final String model;
    private final FeatureEncoder encoder;
    private final List<String> classLabels;
    private final double l2;
    private final long maxIterations;
    private final double tolerance;
    private final ActiveSlots active;
    private final int outputs;
    private final List<String> warnings = new ArrayList<>();

    private double[] theta;
    private double objective = Double.NaN;
    private double[] gradient;
    private double[] direction;
    private double step;
    private double[] candidate;
    private long iterations;
    private FittedLinear fitted;

    public LogisticRegressionSolver(String model, FeatureEncoder encoder, List<String> classLabels, double l2, long maxIterations, double tolerance)
    {
        this.model = requireNonNull(model, "model is null");
        this.encoder = requireNonNull(encoder, "encoder is null");
        this.classLabels = ImmutableList.copyOf(classLabels);
        this.l2 = l2;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        this.active = ActiveSlots.of(encoder, l2 == 0);
        this.outputs = classLabels.size() == 2 ? 1 : classLabels.size();
        ActiveSlots.checkParameters(model, "logistic_regression", (active.size() + 1) * outputs);
        warnings.addAll(active.warnings());
        candidate = new double[(active.size() + 1) * outputs];
    }

    public FeatureEncoder encoder()
    {
        return encoder;
    }

    /**
     * A pass at the parameters the solver wants evaluated next; one per partition, merged by the engine.
     */
    public LogisticPass newPass()
    {
        return new LogisticPass(candidate, active.size(), outputs);
    }

    public int scratchSize()
    {
        return active.size();
    }

    /**
     * Adds an encoded row of class {@code classIndex} (an index into the class labels) to a pass.
     */
    public void add(LogisticPass pass, double[] encoded, int classIndex, double[] scratch)
    {
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = encoded[active.slots()[i]];
        }
        pass.add(scratch, classIndex);
    }

    /**
     * Takes the merged pass over all {@code rows} training rows at the candidate: a Newton step, a shorter step, or
     * the end.
     *
     * @return true when more passes are needed
     */
    public boolean accept(LogisticPass pass, long rows)
    {
        if (fitted != null) {
            return false;
        }
        double value = pass.loss() + penalty(candidate);
        double[] candidateGradient = penalisedGradient(pass, candidate);
        if (theta != null && !(value <= objective + ARMIJO * step * dot(gradient, direction))) {
            step /= 2;
            if (step < 1e-12) {
                // no further decrease within floating point precision: the current parameters are the optimum
                finish();
                return false;
            }
            candidate = along(theta, direction, step);
            return true;
        }
        theta = candidate;
        objective = value;
        gradient = candidateGradient;
        if (maxAbs(gradient) <= tolerance * rows) {
            finish();
            return false;
        }
        if (iterations == maxIterations) {
            warnings.add(format("logistic_regression did not converge in max_iter=%s Newton steps (largest gradient per row %.3g, tolerance %s)", maxIterations, maxAbs(gradient) / rows, tolerance));
            finish();
            return false;
        }
        iterations++;
        direction = newtonDirection(pass);
        step = 1;
        candidate = along(theta, direction, step);
        return true;
    }

    private double penalty(double[] parameters)
    {
        double sum = 0;
        int stride = active.size() + 1;
        for (int i = 0; i < parameters.length; i++) {
            if (i % stride != active.size()) {
                sum += parameters[i] * parameters[i];
            }
        }
        return l2 / 2 * sum;
    }

    private double[] penalisedGradient(LogisticPass pass, double[] parameters)
    {
        double[] result = pass.gradient().clone();
        int stride = active.size() + 1;
        for (int i = 0; i < result.length; i++) {
            if (i % stride != active.size()) {
                result[i] += l2 * parameters[i];
            }
        }
        return result;
    }

    private double[] newtonDirection(LogisticPass pass)
    {
        int count = gradient.length;
        int stride = active.size() + 1;
        DMatrixRMaj hessian = new DMatrixRMaj(count, count);
        double largest = 0;
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < count; j++) {
                hessian.set(i, j, pass.hessian(i, j));
            }
            if (i % stride != active.size()) {
                hessian.add(i, i, l2);
            }
            largest = Math.max(largest, hessian.get(i, i));
        }
        // a tiny damping keeps the multinomial intercepts (free up to a common constant) solvable; the optimum,
        // where the gradient is zero, does not move
        double damping = Math.max(largest, 1) * 1e-10;
        for (int i = 0; i < count; i++) {
            hessian.add(i, i, damping);
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(count);
        if (!solver.setA(hessian)) {
            throw new OnyxException(INVALID_TRAINING_DATA, format(
                    "The features of model '%s' are linearly dependent, so logistic_regression without l2 has no unique solution: give l2 > 0 or leave out the redundant columns",
                    model));
        }
        DMatrixRMaj right = new DMatrixRMaj(count, 1);
        for (int i = 0; i < count; i++) {
            right.set(i, 0, -gradient[i]);
        }
        DMatrixRMaj solution = new DMatrixRMaj(count, 1);
        solver.solve(right, solution);
        double[] result = new double[count];
        for (int i = 0; i < count; i++) {
            result[i] = solution.get(i, 0);
        }
        return result;
    }

    private void finish()
    {
        int size = active.size();
        double[][] weights = new double[encoder.width()][outputs];
        double[] intercepts = new double[outputs];
        for (int output = 0; output < outputs; output++) {
            int offset = output * (size + 1);
            for (int i = 0; i < size; i++) {
                weights[active.slots()[i]][output] = theta[offset + i];
            }
            intercepts[output] = theta[offset + size];
        }
        Link link = outputs == 1 ? Link.SIGMOID : Link.SOFTMAX;
        fitted = new FittedLinear(model, new LinearModel(encoder, weights, intercepts, link, classLabels), warnings);
    }

    public FittedLinear fitted()
    {
        return requireNonNull(fitted, "not fitted yet");
    }

    private static double[] along(double[] start, double[] direction, double step)
    {
        double[] result = new double[start.length];
        for (int i = 0; i < start.length; i++) {
            result[i] = start[i] + step * direction[i];
        }
        return result;
    }

    private static double dot(double[] left, double[] right)
    {
        double sum = 0;
        for (int i = 0; i < left.length; i++) {
            sum += left[i] * right[i];
        }
        return sum;
    }

    private static double maxAbs(double[] values)
    {
        double max = 0;
        for (double value : values) {
            max = Math.max(max, Math.abs(value));
        }
        return max;
    }
}
