package io.onyxml.training.kmeans;

import com.google.common.collect.ImmutableList;
import io.onyxml.store.OnyxException;
import io.onyxml.training.Fit;
import io.onyxml.training.FittedModel;
import io.onyxml.training.data.TrainingTable;
import io.onyxml.training.encoding.FeatureEncoder;

import java.util.Arrays;
import java.util.SplittableRandom;

import static io.onyxml.store.OnyxErrorCode.INVALID_TRAINING_DATA;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * k-means: minimises the inertia {@code sum |x - c(x)|^2} over the encoded features (numbers as given, NULLs
 * imputed with the mean, text one-hot). Each of {@code n_init} runs starts from greedy k-means++ centres (as
 * scikit-learn: {@code 2 + ln k} candidates per centre, the one that lowers the potential most is kept) and runs
 * Lloyd iterations until the centres move less than {@code tolerance} times the mean variance of the features
 * (squared, summed), the assignment no longer changes, or {@code max_iter}; an empty cluster is moved to the row
 * farthest from its centre. The run with the lowest inertia is kept. Each {@link #advance()} is one centre of an
 * initialisation or one Lloyd iteration.
 */
public final class KMeansFit
        implements Fit
{
    /** k times the encoded width: the centres and each pass's sums are this many doubles */
    static final long MAX_CENTRE_VALUES = 1 << 20;

    private final String model;
    private final TrainingTable table;
    private final int[] rows;
    private final FeatureEncoder encoder;
    private final int clusters;
    private final long runs;
    private final long maxIterations;
    private final double shiftTolerance;
    private final SplittableRandom random;
    private final double[] encoded;
    private final double[] distance = new double[1];
    private final ImmutableList.Builder<String> warnings = ImmutableList.builder();

    private long run;
    private double[][] centres;
    private int chosen;
    private double[] nearestSquared;
    private int[] assignment;
    private long iteration;
    private double[][] bestCentres;
    private double bestInertia = Double.POSITIVE_INFINITY;
    private FittedKMeans fitted;

    public KMeansFit(String model, TrainingTable table, int[] rows, FeatureEncoder encoder, int clusters, long runs, long maxIterations, double tolerance, long seed)
    {
        this.model = requireNonNull(model, "model is null");
        this.table = requireNonNull(table, "table is null");
        this.rows = requireNonNull(rows, "rows is null");
        this.encoder = requireNonNull(encoder, "encoder is null");
        if (rows.length < clusters) {
            throw new OnyxException(INVALID_TRAINING_DATA, format("Model '%s' asks for k=%s clusters from %s training rows; k-means needs at least k rows", model, clusters, rows.length));
        }
        if ((long) clusters * encoder.width() > MAX_CENTRE_VALUES) {
            throw new OnyxException(INVALID_TRAINING_DATA, format(
                    "Model '%s' asks for k=%s centres of %s encoded features (numbers, booleans and text categories), more than %s values in all; use a smaller k, fewer columns or fewer categories",
                    model,
                    clusters,
                    encoder.width(),
                    MAX_CENTRE_VALUES));
        }
        this.clusters = clusters;
        this.runs = runs;
        this.maxIterations = maxIterations;
        this.random = new SplittableRandom(seed);
        this.encoded = new double[encoder.width()];
        this.shiftTolerance = tolerance * meanVariance();
    }

    private double meanVariance()
    {
        int width = encoder.width();
        double[] mean = new double[width];
        double[] squares = new double[width];
        long count = 0;
        for (int row : rows) {
            encoder.encode(table, row, encoded);
            count++;
            for (int i = 0; i < width; i++) {
                double delta = encoded[i] - mean[i];
                mean[i] += delta / count;
                squares[i] += delta * (encoded[i] - mean[i]);
            }
        }
        double sum = 0;
        for (double value : squares) {
            sum += value / count;
        }
        return width == 0 ? 0 : sum / width;
    }

    @Override
    public boolean advance()
    {
        if (fitted != null) {
            return false;
        }
        if (centres == null) {
            centres = new double[clusters][];
            chosen = 0;
            iteration = 0;
            assignment = null;
        }
        if (chosen < clusters) {
            chooseCentre();
            return true;
        }
        if (lloydIteration()) {
            return true;
        }
        double inertia = assignAll();
        if (inertia < bestInertia) {
            bestInertia = inertia;
            bestCentres = centres;
        }
        run++;
        centres = null;
        if (run < runs) {
            return true;
        }
        fitted = new FittedKMeans(model, encoder, bestCentres, warnings.build());
        return false;
    }

    private void chooseCentre()
    {
        if (chosen == 0) {
            centres[0] = encodedRow(rows[random.nextInt(rows.length)]);
            nearestSquared = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                encoder.encode(table, rows[i], encoded);
                nearestSquared[i] = Centres.squaredDistance(encoded, centres[0]);
            }
            chosen = 1;
            return;
        }
        int trials = 2 + (int) Math.log(clusters);
        double potential = Arrays.stream(nearestSquared).sum();
        int[] candidates = new int[trials];
        for (int trial = 0; trial < trials; trial++) {
            candidates[trial] = sample(potential);
        }
        double[][] candidateRows = new double[trials][];
        for (int trial = 0; trial < trials; trial++) {
            candidateRows[trial] = encodedRow(rows[candidates[trial]]);
        }
        double[] potentials = new double[trials];
        for (int i = 0; i < rows.length; i++) {
            encoder.encode(table, rows[i], encoded);
            for (int trial = 0; trial < trials; trial++) {
                potentials[trial] += Math.min(nearestSquared[i], Centres.squaredDistance(encoded, candidateRows[trial]));
            }
        }
        int best = 0;
        for (int trial = 1; trial < trials; trial++) {
            if (potentials[trial] < potentials[best]) {
                best = trial;
            }
        }
        centres[chosen] = candidateRows[best];
        for (int i = 0; i < rows.length; i++) {
            encoder.encode(table, rows[i], encoded);
            nearestSquared[i] = Math.min(nearestSquared[i], Centres.squaredDistance(encoded, centres[chosen]));
        }
        chosen++;
        if (chosen == clusters) {
            nearestSquared = null;
        }
    }

    /**
     * A row drawn with probability proportional to its squared distance to the nearest centre so far (uniformly
     * when every row sits on a centre).
     */
    private int sample(double potential)
    {
        if (!(potential > 0)) {
            return random.nextInt(rows.length);
        }
        double target = random.nextDouble() * potential;
        double cumulative = 0;
        for (int i = 0; i < nearestSquared.length; i++) {
            cumulative += nearestSquared[i];
            if (cumulative > target) {
                return i;
            }
        }
        return nearestSquared.length - 1;
    }

    /**
     * One assignment and update; false when the run has converged.
     */
    private boolean lloydIteration()
    {
        if (iteration >= maxIterations) {
            warnings.add(format("k-means run %s stopped at max_iter=%s before the centres settled", run + 1, maxIterations));
            return false;
        }
        iteration++;
        int width = encoder.width();
        LloydPass pass = new LloydPass(clusters, width);
        boolean changed = assignment == null;
        if (assignment == null) {
            assignment = new int[rows.length];
        }
        double[] farthestDistance = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            encoder.encode(table, rows[i], encoded);
            int cluster = Centres.nearest(encoded, centres, distance);
            changed |= assignment[i] != cluster;
            assignment[i] = cluster;
            farthestDistance[i] = distance[0];
            pass.add(encoded, cluster, distance[0]);
        }
        if (!changed) {
            return false;
        }
        double[][] updated = new double[clusters][];
        for (int cluster = 0; cluster < clusters; cluster++) {
            if (pass.counts[cluster] == 0) {
                continue;
            }
            updated[cluster] = new double[width];
            for (int j = 0; j < width; j++) {
                updated[cluster][j] = pass.sums[cluster][j] / pass.counts[cluster];
            }
        }
        relocateEmpty(updated, farthestDistance);
        double shift = 0;
        for (int cluster = 0; cluster < clusters; cluster++) {
            shift += Centres.squaredDistance(updated[cluster], centres[cluster]);
        }
        centres = updated;
        return shift > shiftTolerance;
    }

    private void relocateEmpty(double[][] updated, double[] distances)
    {
        for (int cluster = 0; cluster < clusters; cluster++) {
            if (updated[cluster] != null) {
                continue;
            }
            int farthest = 0;
            for (int i = 1; i < distances.length; i++) {
                if (distances[i] > distances[farthest]) {
                    farthest = i;
                }
            }
            updated[cluster] = encodedRow(rows[farthest]);
            distances[farthest] = -1;
        }
    }

    private double assignAll()
    {
        double inertia = 0;
        for (int row : rows) {
            encoder.encode(table, row, encoded);
            Centres.nearest(encoded, centres, distance);
            inertia += distance[0];
        }
        return inertia;
    }

    private double[] encodedRow(int row)
    {
        double[] result = new double[encoder.width()];
        encoder.encode(table, row, result);
        return result;
    }

    @Override
    public FittedModel fitted()
    {
        return requireNonNull(fitted, "not fitted yet");
    }
}
