package io.onyxml.training;

/**
 * The solving part of one training, done in bounded pieces so that an engine can check for cancellation and time
 * limits between them: each {@link #advance()} is one pass over the rows (an iteration, a Newton step, a k-means++
 * centre) or the final solve.
 */
public interface Fit
        extends AutoCloseable
{
    /**
     * Does the next piece of work; false once the model is fitted.
     */
    boolean advance();

    FittedModel fitted();

    /**
     * Frees what the fit holds outside the heap; called when it ends, however it ends.
     */
    @Override
    default void close() {}
}
