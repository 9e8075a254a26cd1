package io.onyxml.trino;

import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelStoreConfig;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.trino.testing.MaterializedResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.onyxml.store.ElementType.FLOAT;
import static io.onyxml.store.ValueSpec.DYNAMIC;
import static io.onyxml.trino.OnyxErrorCode.ONYX_MODEL_NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reference is resolved once per query, as of its start: every row of a query, in the scalar and the table form and
 * on both nodes, is scored with one version; a change made by a procedure is seen by the next query at once.
 */
final class TestOneVersionPerQuery
        extends AbstractOnyxQueryTest
{
    @Override
    protected void registerModels()
    {
        // version k multiplies by k
        for (int factor = 1; factor <= 3; factor++) {
            register("scale", scale(factor), RegisterOptions.DEFAULTS);
        }
        store.setAlias("scale", "production", 1);
        store.setAlias("scale", "moving", 1);
    }

    @Test
    void theScalarAndTheTableFormSeeTheSameVersion()
    {
        assertThat(computeScalar("""
                SELECT count(*)
                FROM TABLE(predict(input => TABLE(SELECT CAST(orderkey AS double) AS x FROM tpch.tiny.orders), model => 'scale@production')) t
                WHERE t.prediction <> predict('scale@production', t.x) OR t.prediction <> t.x""")).isEqualTo(0L);
    }

    @Test
    void aChangeIsSeenAtOnceWhereItWasMade()
    {
        assertThat(computeScalar("SELECT predict('scale@production', 10e0)")).isEqualTo(10.0);
        assertUpdate("CALL ml.system.set_alias('scale', 'production', 2)");
        assertThat(computeScalar("SELECT predict('scale@production', 10e0)")).isEqualTo(20.0);
        assertThat(computeScalar("SELECT predict('scale', 10e0)")).isEqualTo(30.0);
        assertThat(computeScalar("SELECT prediction FROM TABLE(predict(input => TABLE(SELECT 10e0 AS x), model => 'scale@production'))")).isEqualTo(20.0);

        assertThat(computeScalar("SELECT count(*) FROM ml.system.loaded_models WHERE name = 'scale' AND version = 3")).isNotEqualTo(0L);
        assertUpdate("CALL ml.system.drop_model_version('scale', 3)");
        // the next query already scores with version 2, and no node lists version 3 as loaded any more
        assertThat(computeScalar("SELECT predict('scale', 10e0)")).isEqualTo(20.0);
        assertThat(query("SELECT predict('scale/3', 10e0)")).failure().hasErrorCode(ONYX_MODEL_NOT_FOUND).hasMessage("Version 3 of model 'scale' was deleted; existing versions: 1, 2");
        assertThat(computeScalar("SELECT count(*) FROM ml.system.loaded_models WHERE name = 'scale' AND version = 3")).isEqualTo(0L);

        assertUpdate("CALL ml.system.drop_model_version('scale', 2, true)");
        assertThat(query("SELECT predict('scale@production', 10e0)")).failure().hasErrorCode(ONYX_MODEL_NOT_FOUND);
        assertThat(computeScalar("SELECT predict('scale', 10e0)")).isEqualTo(10.0);
    }

    @Test
    void aQueryRunningWhileTheAliasMovesUsesOneVersion()
            throws Exception
    {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger moves = new AtomicInteger();
        ExecutorService mover = Executors.newSingleThreadExecutor();
        // another process moves the alias back and forth all the time; its change delay paces it at one move per 5 ms
        ModelStore other = ModelStore.open(ModelStoreConfig.local(storeDirectory).withChangeDelay(Duration.ofMillis(5)));
        try {
            Future<?> moving = mover.submit(() -> {
                while (running.get()) {
                    other.setAlias("scale", "moving", 1 + moves.incrementAndGet() % 2);
                }
                return null;
            });
            for (int query = 0; query < 4; query++) {
                int before = moves.get();
                // the ratio is the version's factor; a query that mixed versions would see two
                MaterializedResult factors = computeActual("""
                        SELECT DISTINCT predict('scale@moving', CAST(orderkey % 7 AS double) + 1e0) / (CAST(orderkey % 7 AS double) + 1e0)
                        FROM tpch.tiny.lineitem""");
                assertThat(factors.getRowCount()).as("versions seen by one query").isEqualTo(1);
                assertThat(moves.get()).as("the alias moved during the query").isGreaterThan(before);
            }
            running.set(false);
            moving.get();
        }
        finally {
            running.set(false);
            mover.shutdownNow();
            other.close();
        }
    }

    private static byte[] scale(int factor)
    {
        return new OnnxGraphBuilder("scale_" + factor)
                .input("x", FLOAT, DYNAMIC, 1)
                .output("y", FLOAT, DYNAMIC, 1)
                .floatInitializer("k", new float[] {factor}, 1)
                .node("Mul").inputs("x", "k").outputs("y").add()
                .build();
    }
}
