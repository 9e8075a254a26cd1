package io.onyxml.trino;

import io.onyxml.store.testing.TestModels;
import io.trino.Session;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.security.ConnectorIdentity;
import io.trino.spi.security.Identity;
import io.trino.spi.security.SelectedRole;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.DistributedQueryRunner;
import io.trino.testing.QueryRunner;
import io.trino.testing.TestingConnectorSession;
import io.trino.testing.TestingGroupProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static io.onyxml.store.access.ModelPrivilege.MANAGE;
import static io.onyxml.store.access.ModelPrivilege.READ;
import static io.trino.spi.StandardErrorCode.PERMISSION_DENIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * A catalog with a rules file ({@code onyx.security.rules-file}): each user, by name or group, reads, adds
 * versions to and manages only the models the rules give them, in every scalar function, table function, procedure
 * and catalog table; what they may not read does not exist for them.
 */
@TestInstance(PER_CLASS)
class TestModelAccess
        extends AbstractTestQueryFramework
{
    private static final String RULES = """
            {"models": [
                {"user": "admin", "privileges": ["READ", "CREATE", "MANAGE"]},
                {"group": "scientists", "model": "churn.*", "privileges": ["READ", "CREATE"]},
                {"group": "analysts", "model": "churn", "privileges": ["READ"]},
                {"role": "auditor", "model": "churn", "privileges": ["READ"]}
            ]}
            """;
    private static final String FEATURES = "SELECT * FROM (VALUES (1e0, 2e0, 3e0, 4e0, 10e0), (2e0, 1e0, 0e0, 1e0, 5e0), (3e0, 0e0, 1e0, 2e0, 7e0)) t(a, b, c, d, y)";

    private Path directory;
    private Session admin;
    private Session scientist;
    private Session analyst;
    private Session stranger;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        directory = Files.createTempDirectory("onyx-access-");
        Path uploads = Files.createDirectories(directory.resolve("uploads")).toRealPath();
        Files.write(uploads.resolve("linear.onnx"), TestModels.linearRegression());
        Path rules = Files.writeString(directory.resolve("rules.json"), RULES);
        DistributedQueryRunner queryRunner = OnyxQueryRunner.builder(Files.createDirectories(directory.resolve("store")))
                .addConnectorProperty("onyx.register-model.allowed-locations", uploads.toString())
                .addConnectorProperty("onyx.security.rules-file", rules.toString())
                .build();
        // groups come from the server's group provider, as in a deployment
        TestingGroupProvider groups = new TestingGroupProvider();
        groups.setUserGroups(Map.of("sam", Set.of("scientists"), "ann", Set.of("analysts")));
        queryRunner.getServers().forEach(server -> server.getGroupProvider().setConfiguredGroupProvider(groups));
        return queryRunner;
    }

    @AfterAll
    void deleteDirectory()
            throws IOException
    {
        deleteRecursively(directory, ALLOW_INSECURE);
    }

    private Session as(Identity identity)
    {
        return Session.builder(getSession()).setIdentity(identity).build();
    }

    private String linearFile()
    {
        return directory.resolve("uploads/linear.onnx").toString();
    }

    /**
     * Trino without a role-managing security system cannot enable system roles in a query, so this checks the step
     * Onyx owns: the enabled system roles and the catalog role of a session's identity are what the rules match.
     */
    @Test
    void theRolesOfTheSessionIdentityAreWhatRoleRulesMatch()
    {
        OnyxModels models = new OnyxModels(
                new OnyxConfig().setModelStore(directory.resolve("store").toString()).setDevice("cpu"),
                new OnyxS3Config(),
                new OnyxRegistrationConfig(),
                new OnyxSecurityConfig().setRulesFile(directory.resolve("rules.json").toString()),
                new OnyxTrainingConfig());
        try {
            ConnectorSession systemRole = TestingConnectorSession.builder()
                    .setIdentity(ConnectorIdentity.forUser("carol").withEnabledSystemRoles(Set.of("auditor")).build())
                    .build();
            ConnectorSession catalogRole = TestingConnectorSession.builder()
                    .setIdentity(ConnectorIdentity.forUser("carol").withConnectorRole(Optional.of(new SelectedRole(SelectedRole.Type.ROLE, Optional.of("auditor")))).build())
                    .build();
            ConnectorSession noRole = TestingConnectorSession.builder()
                    .setIdentity(ConnectorIdentity.forUser("carol").build())
                    .build();
            for (ConnectorSession session : List.of(systemRole, catalogRole)) {
                assertThat(models.access(session).allows("churn", READ)).isTrue();
                assertThat(models.access(session).allows("churn", MANAGE)).isFalse();
                assertThat(models.access(session).allows("churn_v2", READ)).isFalse();
            }
            assertThat(models.access(noRole).allows("churn", READ)).isFalse();
        }
        finally {
            models.close();
        }
    }

    @Test
    void eachUserSeesAndDoesWhatTheRulesGive()
            throws Exception
    {
        admin = as(Identity.ofUser("admin"));
        scientist = as(Identity.ofUser("sam"));
        analyst = as(Identity.ofUser("ann"));
        stranger = as(Identity.ofUser("nobody"));

        getQueryRunner().execute(admin, "CALL ml.system.register_model('churn', '" + linearFile() + "')");
        getQueryRunner().execute(admin, "CALL ml.system.register_model('secret', '" + linearFile() + "')");
        getQueryRunner().execute(admin, "CALL ml.system.set_alias('secret', 'production', 1)");

        // reading: every form of predict, evaluate, and the catalog tables
        assertThat((Double) computeScalar(analyst, "SELECT predict('churn', 1, 2, 3, 4)")).isCloseTo(TestModels.linearReference(1, 2, 3, 4), within(1e-4));
        assertThat(computeActual(analyst, "SELECT name FROM ml.system.models").getOnlyColumnAsSet()).containsExactly("churn");
        assertThat(computeActual(analyst, "SELECT name FROM ml.system.model_versions").getOnlyColumnAsSet()).containsExactly("churn");
        assertThat(computeActual(analyst, "SELECT DISTINCT name FROM ml.system.loaded_models").getOnlyColumnAsSet()).containsExactly("churn");
        assertThat(computeActual(stranger, "SELECT name FROM ml.system.models").getRowCount()).isZero();
        assertThat(computeActual(admin, "SELECT name FROM ml.system.models").getOnlyColumnAsSet()).containsExactlyInAnyOrder("churn", "secret");

        // a model the user may not read answers as one that does not exist, in every form
        for (String model : new String[] {"secret", "secret@production", "secret/1", "no_such_model"}) {
            String name = model.replaceAll("[@/].*", "");
            String denied = "Access Denied: Cannot use model '" + name + "': not found or access denied";
            assertDenied(analyst, "SELECT predict('" + model + "', 1, 2, 3, 4)", denied);
            assertDenied(analyst, "SELECT predict_vector('" + model + "', ARRAY[1e0, 2, 3, 4])", denied);
            assertDenied(analyst, "SELECT * FROM TABLE(predict(input => TABLE(" + FEATURES + "), model => '" + model + "'))", denied);
            assertDenied(analyst, "SELECT * FROM TABLE(evaluate(input => TABLE(" + FEATURES + "), model => '" + model + "', label => 'y'))", denied);
        }

        // adding versions
        assertDenied(analyst, "CALL ml.system.register_model('churn', '" + linearFile() + "')", "Access Denied: Cannot add versions to model 'churn'");
        assertDenied(analyst, "SELECT * FROM TABLE(train_model(input => TABLE(" + FEATURES + "), model => 'churn', label => 'y', algorithm => 'linear_regression', options => 'l2=0.1'))",
                "Access Denied: Cannot add versions to model 'churn'");
        getQueryRunner().execute(scientist, "CALL ml.system.register_model('churn', '" + linearFile() + "')");
        getQueryRunner().execute(scientist, "SELECT * FROM TABLE(train_model(input => TABLE(" + FEATURES + "), model => 'churn_eu', label => 'y', algorithm => 'linear_regression', options => 'l2=0.1'))");
        assertDenied(scientist, "SELECT * FROM TABLE(train_model(input => TABLE(" + FEATURES + "), model => 'fraud', label => 'y', algorithm => 'linear_regression', options => 'l2=0.1'))",
                "Access Denied: Cannot add versions to model 'fraud'");
        // per partition, each model is checked under its own name before it trains
        assertDenied(scientist, "SELECT * FROM TABLE(train_model(input => TABLE(SELECT *, 'x' AS region FROM (" + FEATURES + ")) PARTITION BY region, model => 'fraud', label => 'y', algorithm => 'linear_regression', options => 'l2=0.1'))",
                "Access Denied: Cannot add versions to model 'fraud__region=x'");

        // managing
        for (String sql : new String[] {
                "CALL ml.system.set_alias('churn', 'production', 1)",
                "CALL ml.system.drop_alias('secret', 'production')",
                "CALL ml.system.drop_model_version('churn', 1)",
                "CALL ml.system.drop_model('churn')"}) {
            String model = sql.replaceAll(".*\\('([a-z_]+)'.*", "$1");
            assertDenied(scientist, sql, "Access Denied: Cannot manage model '" + model + "'");
        }

        // nothing the denied calls asked for happened
        assertThat(computeActual(admin, "SELECT name, version, registered_by FROM ml.system.model_versions ORDER BY name, version").getMaterializedRows())
                .extracting(row -> row.getFields().toString())
                .containsExactly("[churn, 1, admin]", "[churn, 2, sam]", "[churn_eu, 1, sam]", "[secret, 1, admin]");
        assertThat(computeScalar(admin, "SELECT aliases['production'] FROM ml.system.models WHERE name = 'secret'")).isEqualTo(1L);

        getQueryRunner().execute(admin, "CALL ml.system.drop_model('secret')");
        assertThat(computeActual(admin, "SELECT name FROM ml.system.models").getOnlyColumnAsSet()).containsExactlyInAnyOrder("churn", "churn_eu");
    }

    private void assertDenied(Session session, String sql, String message)
    {
        assertThat(query(session, sql)).failure()
                .hasErrorCode(PERMISSION_DENIED)
                .hasMessage(message);
    }
}
