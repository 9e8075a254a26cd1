package io.onyxml.training.kmeans;

import com.google.common.collect.ImmutableList;
import io.onyxml.store.OnyxException;
import io.onyxml.training.data.RowHash;
import io.onyxml.training.encoding.FeatureEncoder;
import io.onyxml.training.encoding.NumericSummary;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.onyxml.store.OnyxErrorCode.INVALID_TRAINING_DATA;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * k-means over rows an engine feeds pass by pass, each pass a mergeable {@link KMeansPass}, so that the same rows
 * give the same clusters however they are ordered or partitioned. It minimises the inertia {@code sum |x - c(x)|^2}
 * over the encoded features. Each of {@code n_init} runs seeds with greedy k-means++ (as scikit-learn: {@code 2 + ln k}
 * candidates per centre, the one that lowers the potential most is kept), drawn without a sequence of random numbers:
 * every row gets a key per draw from its {@link RowHash} (which includes the seed) and the draw, exponential with rate
 * its squared distance to the nearest centre so far, and the row with the smallest key wins (a race equivalent to
 * drawing proportionally to that distance); the first centre is the row with the smallest uniform key. Equal rows get
 * equal keys, so they draw as one. Then Lloyd iterations run until the assignment no longer changes, the centres move
 * less than {@code tolerance} times the mean variance of the encoded features (squared, summed), or {@code max_iter};
 * an empty cluster restarts at the row farthest from its centre. The run with the lowest inertia is kept.
 *
 * <p>An engine calls {@link #newPass()}, {@link #add} for each training row (per partition, merging the partitions'
 * passes), then {@link #accept} with the merged pass, until {@code accept} returns false. A k-means++ step takes two
 * passes (the draw, then the candidates' potentials), a Lloyd iteration one. The centres, candidates and sums held are
 * bounded by k times the encoded width.
 */
public final class KMeansSolver
        implements Serializable
{
    /** k times the encoded width: the centres and each pass's sums are this many doubles */
    static final long MAX_CENTRE_VALUES = 1 << 20;

    private final String model;
    private final FeatureEncoder encoder;
    private final int clusters;
    private final long runs;
    private final long maxIterations;
    private final double tolerance;
    private final int trials;
    private final List<String> warnings = new ArrayList<>();

    private KMeansPass.Step step = KMeansPass.Step.SPREAD;
    private double shiftTolerance;
    private long run;
    private double[][] centres;
    private int chosen;
    private double[][] candidates;
    private int remembered;
    private long iteration;
    private long[] previousCounts;
    private long[] previousFingerprints;
    private double[][] bestCentres;
    private double bestInertia = Double.POSITIVE_INFINITY;
    private FittedKMeans fitted;

    public KMeansSolver(String model, FeatureEncoder encoder, int clusters, long runs, long maxIterations, double tolerance)
    {
        this.model = requireNonNull(model, "model is null");
        this.encoder = requireNonNull(encoder, "encoder is null");
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
        this.tolerance = tolerance;
        this.trials = 2 + (int) Math.log(clusters);
    }

    public FeatureEncoder encoder()
    {
        return encoder;
    }

    /**
     * An empty pass for the step the solver is at; one per partition, merged by the engine.
     */
    public KMeansPass newPass()
    {
        return new KMeansPass(step, encoder.width(), clusters, trials);
    }

    /**
     * Adds an encoded training row to a pass.
     *
     * @param hash the row's {@link RowHash}, with the training's seed
     * @param remembered what this method returned for the same row at the previous pass, or NaN: an engine that can
     * keep one double per row saves recomputing the distances to the centres chosen before
     * @return what the engine may keep for the row until the next pass (NaN when there is nothing to keep)
     */
    public double add(KMeansPass pass, double[] encoded, long hash, double remembered)
    {
        pass.rows++;
        switch (pass.step) {
            case SPREAD -> {
                for (int slot = 0; slot < encoded.length; slot++) {
                    pass.slots[slot].add(encoded[slot]);
                }
            }
            case FIRST_CENTRE -> pass.uniform.offer(0, -Math.log(draw(hash, 0)), hash, encoded);
            case DRAW -> {
                double nearest = nearestChosen(encoded, remembered);
                for (int trial = 0; trial < trials; trial++) {
                    double exponential = -Math.log(draw(hash, trial));
                    pass.uniform.offer(trial, exponential, hash, encoded);
                    if (nearest > 0) {
                        pass.weighted.offer(trial, exponential / nearest, hash, encoded);
                    }
                }
                return nearest;
            }
            case POTENTIAL -> {
                double nearest = nearestChosen(encoded, remembered);
                for (int trial = 0; trial < trials; trial++) {
                    pass.potentials[trial] += Math.min(nearest, Centres.squaredDistance(encoded, candidates[trial]));
                }
                return nearest;
            }
            case LLOYD -> {
                int cluster = Centres.nearest(encoded, centres, pass.distance);
                pass.lloyd.add(encoded, cluster, pass.distance[0], hash);
            }
            case INERTIA -> {
                Centres.nearest(encoded, centres, pass.distance);
                pass.inertia += pass.distance[0];
            }
        }
        return Double.NaN;
    }

    /**
     * The squared distance to the nearest centre chosen so far, from what the engine remembered of the previous pass
     * where it can.
     */
    private double nearestChosen(double[] encoded, double remembered)
    {
        boolean known = !Double.isNaN(remembered) && this.remembered > 0;
        double nearest = known ? remembered : Double.POSITIVE_INFINITY;
        for (int centre = known ? this.remembered : 0; centre < chosen; centre++) {
            nearest = Math.min(nearest, Centres.squaredDistance(encoded, centres[centre]));
        }
        return nearest;
    }

    /**
     * A uniform draw in (0, 1] for a row, the same for the same row, run, centre and trial.
     */
    private double draw(long hash, int trial)
    {
        long stream = (run * clusters + chosen) * trials + trial;
        return ((RowHash.derive(hash, stream) >>> 11) + 1) * 0x1.0p-53;
    }

    /**
     * Takes the merged pass over all training rows.
     *
     * @return true when more passes are needed
     */
    public boolean accept(KMeansPass pass)
    {
        if (fitted != null) {
            return false;
        }
        int before = chosen;
        switch (pass.step) {
            case SPREAD -> acceptSpread(pass);
            case FIRST_CENTRE -> {
                centres[0] = pass.uniform.row(0);
                chosen = 1;
                step = chosen == clusters ? KMeansPass.Step.LLOYD : KMeansPass.Step.DRAW;
            }
            case DRAW -> {
                candidates = new double[trials][];
                for (int trial = 0; trial < trials; trial++) {
                    // when every row sits on a centre, the draw is uniform
                    candidates[trial] = pass.weighted.row(trial) != null ? pass.weighted.row(trial) : pass.uniform.row(trial);
                }
                step = KMeansPass.Step.POTENTIAL;
            }
            case POTENTIAL -> {
                int best = 0;
                for (int trial = 1; trial < trials; trial++) {
                    if (pass.potentials[trial] < pass.potentials[best]) {
                        best = trial;
                    }
                }
                centres[chosen++] = candidates[best];
                candidates = null;
                step = chosen == clusters ? KMeansPass.Step.LLOYD : KMeansPass.Step.DRAW;
            }
            case LLOYD -> acceptLloyd(pass.lloyd);
            case INERTIA -> {
                if (pass.inertia < bestInertia) {
                    bestInertia = pass.inertia;
                    bestCentres = centres;
                }
                nextRun();
            }
        }
        boolean seeding = pass.step == KMeansPass.Step.DRAW || pass.step == KMeansPass.Step.POTENTIAL;
        remembered = seeding ? before : 0;
        return fitted == null;
    }

    private void acceptSpread(KMeansPass pass)
    {
        if (pass.rows < clusters) {
            throw new OnyxException(INVALID_TRAINING_DATA, format("Model '%s' asks for k=%s clusters from %s training rows; k-means needs at least k rows", model, clusters, pass.rows));
        }
        double variance = 0;
        for (NumericSummary summary : pass.slots) {
            variance += summary.variance();
        }
        shiftTolerance = pass.slots.length == 0 ? 0 : tolerance * variance / pass.slots.length;
        startRun();
    }

    private void startRun()
    {
        centres = new double[clusters][];
        chosen = 0;
        iteration = 0;
        previousCounts = null;
        previousFingerprints = null;
        step = KMeansPass.Step.FIRST_CENTRE;
    }

    /**
     * Moves the centres to the means of their rows; the run ends when the assignment did not change, the centres
     * settled or the iterations ran out.
     */
    private void acceptLloyd(LloydPass pass)
    {
        if (Arrays.equals(pass.counts, previousCounts) && Arrays.equals(pass.fingerprints, previousFingerprints)) {
            endRun();
            return;
        }
        iteration++;
        int width = encoder.width();
        double[][] updated = new double[clusters][];
        int empty = 0;
        for (int cluster = 0; cluster < clusters; cluster++) {
            if (pass.counts[cluster] == 0) {
                // the farthest rows not yet taken, in order
                updated[cluster] = pass.farthest.row(empty++);
                continue;
            }
            updated[cluster] = new double[width];
            for (int j = 0; j < width; j++) {
                updated[cluster][j] = pass.sums[cluster][j] / pass.counts[cluster];
            }
        }
        double shift = 0;
        for (int cluster = 0; cluster < clusters; cluster++) {
            shift += Centres.squaredDistance(updated[cluster], centres[cluster]);
        }
        centres = updated;
        previousCounts = pass.counts;
        previousFingerprints = pass.fingerprints;
        if (!(shift > shiftTolerance)) {
            endRun();
        }
        else if (iteration >= maxIterations) {
            warnings.add(format("k-means run %s stopped at max_iter=%s before the centres settled", run + 1, maxIterations));
            endRun();
        }
    }

    private void endRun()
    {
        if (runs == 1) {
            bestCentres = centres;
            finish();
            return;
        }
        step = KMeansPass.Step.INERTIA;
    }

    private void nextRun()
    {
        run++;
        if (run < runs) {
            startRun();
            return;
        }
        finish();
    }

    private void finish()
    {
        fitted = new FittedKMeans(model, encoder, bestCentres, ImmutableList.copyOf(warnings));
        centres = null;
    }

    public FittedKMeans fitted()
    {
        return requireNonNull(fitted, "not fitted yet");
    }
}
