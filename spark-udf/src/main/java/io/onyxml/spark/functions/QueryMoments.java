package io.onyxml.spark.functions;

import org.apache.spark.sql.catalyst.QueryPlanningTracker;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.WeakHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The moment a query resolves its model references at: the first time one of its references is resolved. Spark
 * plans a query in one thread under one {@link QueryPlanningTracker}, so every reference of the query, in subqueries
 * and views too, is resolved as of the same moment, and so names the same version however aliases move meanwhile
 * (the store's {@code change-delay} makes a moment name the same version everywhere).
 */
final class QueryMoments
{
    private static final Map<QueryPlanningTracker, Instant> MOMENTS = new WeakHashMap<>();

    private QueryMoments() {}

    static Instant current(Clock clock)
    {
        requireNonNull(clock, "clock is null");
        QueryPlanningTracker tracker = QueryPlanningTracker.get().getOrElse(() -> null);
        if (tracker == null) {
            return clock.instant();
        }
        synchronized (MOMENTS) {
            return MOMENTS.computeIfAbsent(tracker, ignored -> clock.instant());
        }
    }
}
