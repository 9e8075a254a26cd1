package io.onyxml.trino;

import com.google.common.collect.ImmutableMap;
import io.onyxml.store.ModelTask;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;

import static io.onyxml.trino.OnyxErrorCode.ONYX_INVALID_ARGUMENT;
import static io.onyxml.trino.OnyxErrorCode.ONYX_INVALID_MODEL_INPUT;
import static io.onyxml.trino.OnyxErrorCode.ONYX_INVALID_MODEL_REFERENCE;
import static io.onyxml.trino.OnyxErrorCode.ONYX_MODEL_NOT_FOUND;
import static io.onyxml.trino.OnyxErrorCode.ONYX_MODEL_STORE_UNAVAILABLE;
import static io.onyxml.trino.OnyxErrorCode.ONYX_MODEL_TOO_LARGE;
import static io.onyxml.trino.OnyxErrorCode.ONYX_MODEL_VERSION_IN_USE;
import static io.onyxml.trino.OnyxErrorCode.ONYX_UNSUPPORTED_MODEL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Errors reach SQL users as Trino errors with the connector's codes: user errors for what the query can fix, external
 * errors for the store.
 */
final class TestOnyxErrorCodes
        extends AbstractOnyxQueryTest
{
    private int closedPort;

    @Override
    protected void registerModels()
    {
        register("linear", TestModels.linearRegression(), RegisterOptions.builder().task(ModelTask.REGRESSION).build());
        register("iris", TestModels.classifier(), RegisterOptions.DEFAULTS);
        store.setAlias("linear", "production", 1);
    }

    @BeforeAll
    void createUnreachableCatalog()
            throws Exception
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        getQueryRunner().createCatalog("remote", "onyx", ImmutableMap.of(
                "onyx.model-store", "s3://models/onyx",
                "onyx.s3.endpoint", "http://127.0.0.1:" + closedPort,
                "onyx.s3.path-style-access", "true",
                "onyx.s3.aws-access-key", "access",
                "onyx.s3.aws-secret-key", "secret"));
        // the same store, with a budget of loaded models smaller than any model
        getQueryRunner().createCatalog("small", "onyx", ImmutableMap.of(
                "onyx.model-store", storeDirectory.toString(),
                "onyx.device", "cpu",
                "onyx.session-cache-size", "512kB"));
    }

    @Test
    void aModelLargerThanTheBudgetOfLoadedModels()
    {
        assertThat(query("SELECT small.system.predict('linear', 1, 2, 3, 4)"))
                .failure()
                .hasErrorCode(ONYX_MODEL_TOO_LARGE)
                .hasMessageMatching("Model linear/1 needs about 1\\.\\d MB of memory when loaded \\(its file has 0\\.0 MB\\), more than the 0\\.5 MB this node keeps for loaded models \\(the session cache size\\); raise it or use a smaller model");
        // the same model in a catalog with room
        assertThat(query("SELECT predict('linear', 1, 2, 3, 4) IS NOT NULL")).matches("VALUES true");
    }

    @Test
    void userErrors()
    {
        assertThat(query("SELECT predict('nope', 1, 2, 3, 4)")).failure().hasErrorCode(ONYX_MODEL_NOT_FOUND);
        assertThat(query("SELECT predict('linear@staging', 1, 2, 3, 4)")).failure().hasErrorCode(ONYX_MODEL_NOT_FOUND);
        assertThat(query("SELECT predict('linear/x', 1, 2, 3, 4)")).failure().hasErrorCode(ONYX_INVALID_MODEL_REFERENCE);
        assertThat(query("SELECT predict('linear', 1, 2)")).failure().hasErrorCode(ONYX_INVALID_MODEL_INPUT);
        assertThat(query("SELECT predict('iris', 1, 2, 3, 4)")).failure().hasErrorCode(ONYX_UNSUPPORTED_MODEL);
        assertThat(query("SELECT * FROM TABLE(predict(input => TABLE(SELECT 1e0 AS a), model => 'linear'))")).failure().hasErrorCode(ONYX_INVALID_MODEL_INPUT);
        assertThat(query("SELECT * FROM TABLE(predict(input => TABLE(SELECT 1e0 AS a), model => 'linear', features => DESCRIPTOR(b)))")).failure().hasErrorCode(ONYX_INVALID_ARGUMENT);
        assertThat(query("CALL ml.system.drop_model_version('linear', 1)")).failure().hasErrorCode(ONYX_MODEL_VERSION_IN_USE);
    }

    @Test
    void aStoreThatCannotBeReached()
    {
        assertThat(query("SELECT remote.system.predict('churn', 1, 2)"))
                .failure()
                .hasErrorCode(ONYX_MODEL_STORE_UNAVAILABLE)
                .hasMessageStartingWith("Cannot reach model store s3://models/onyx at http://127.0.0.1:" + closedPort);
        assertThat(query("SELECT * FROM remote.system.models"))
                .failure()
                .hasErrorCode(ONYX_MODEL_STORE_UNAVAILABLE);
        // the local catalog is not affected
        assertThat(query("SELECT name FROM ml.system.models ORDER BY name")).matches("VALUES VARCHAR 'iris', VARCHAR 'linear'");
    }
}
