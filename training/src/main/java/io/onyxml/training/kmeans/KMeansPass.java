package io.onyxml.training.kmeans;

import io.onyxml.training.encoding.NumericSummary;

import java.io.Serializable;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * One pass of {@link KMeansSolver} over the rows, summed per partition and merged: what it holds depends on the
 * step the solver is at (the features' spread, a k-means++ draw, the candidates' potentials, a Lloyd iteration, the
 * final inertia of a run).
 */
public final class KMeansPass
        implements Serializable
{
    enum Step
    {
        /** the spread of each encoded slot, for the convergence tolerance */
        SPREAD,
        /** the first centre of a run: a row drawn uniformly */
        FIRST_CENTRE,
        /** candidates for the next centre, drawn with probability proportional to the squared distance to the nearest centre */
        DRAW,
        /** the potential (the summed squared distance to the nearest centre) with each candidate added */
        POTENTIAL,
        /** a Lloyd iteration */
        LLOYD,
        /** the inertia of a run's final centres, to keep the best run */
        INERTIA,
    }

    final Step step;
    final NumericSummary[] slots;
    final Candidates weighted;
    final Candidates uniform;
    final double[] potentials;
    final LloydPass lloyd;
    /** scratch for a row's distance to its nearest centre */
    final double[] distance = new double[1];
    long rows;
    double inertia;

    KMeansPass(Step step, int width, int clusters, int trials)
    {
        this.step = step;
        this.slots = step == Step.SPREAD ? summaries(width) : null;
        this.weighted = step == Step.DRAW ? new Candidates(trials) : null;
        this.uniform = step == Step.FIRST_CENTRE ? new Candidates(1) : step == Step.DRAW ? new Candidates(trials) : null;
        this.potentials = step == Step.POTENTIAL ? new double[trials] : null;
        this.lloyd = step == Step.LLOYD ? new LloydPass(clusters, width) : null;
    }

    private static NumericSummary[] summaries(int width)
    {
        NumericSummary[] summaries = new NumericSummary[width];
        for (int slot = 0; slot < width; slot++) {
            summaries[slot] = new NumericSummary();
        }
        return summaries;
    }

    public KMeansPass merge(KMeansPass other)
    {
        checkArgument(other.step == step, "passes of different steps");
        rows += other.rows;
        inertia += other.inertia;
        switch (step) {
            case SPREAD -> {
                for (int slot = 0; slot < slots.length; slot++) {
                    slots[slot].merge(other.slots[slot]);
                }
            }
            case FIRST_CENTRE -> uniform.merge(other.uniform);
            case DRAW -> {
                weighted.merge(other.weighted);
                uniform.merge(other.uniform);
            }
            case POTENTIAL -> {
                for (int trial = 0; trial < potentials.length; trial++) {
                    potentials[trial] += other.potentials[trial];
                }
            }
            case LLOYD -> lloyd.merge(other.lloyd);
            case INERTIA -> {
                // the sum above
            }
        }
        return this;
    }
}
