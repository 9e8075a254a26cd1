package io.onyxml.store.access;

import io.onyxml.store.OnyxErrorCode;
import io.onyxml.store.OnyxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static io.onyxml.store.access.ModelPrivilege.CREATE;
import static io.onyxml.store.access.ModelPrivilege.MANAGE;
import static io.onyxml.store.access.ModelPrivilege.READ;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestModelAccessRules
{
    private static final ModelAccessRules RULES = parse("""
            {"models": [
                {"user": "admin", "privileges": ["READ", "CREATE", "MANAGE"]},
                {"group": "data-science", "model": "churn.*", "privileges": ["read", "create"]},
                {"user": "intern", "privileges": []},
                {"role": "analyst", "model": "(churn|fraud).*", "privileges": ["READ"]},
                {"user": "etl", "group": "batch", "privileges": ["CREATE"]}
            ]}
            """);

    private static final ModelPrincipal ADMIN = ModelPrincipal.ofUser("admin");
    private static final ModelPrincipal SCIENTIST = new ModelPrincipal("sam", Set.of("staff", "data-science"), Set.of());
    private static final ModelPrincipal ANALYST = new ModelPrincipal("ann", Set.of(), Set.of("analyst"));
    private static final ModelPrincipal INTERN = new ModelPrincipal("intern", Set.of(), Set.of("analyst"));

    @TempDir
    Path temporary;

    @Test
    void theFirstRuleThatAppliesDecides()
    {
        assertThat(RULES.allows(ADMIN, "anything", MANAGE)).isTrue();

        assertThat(RULES.allows(SCIENTIST, "churn_eu", READ)).isTrue();
        assertThat(RULES.allows(SCIENTIST, "churn_eu", CREATE)).isTrue();
        assertThat(RULES.allows(SCIENTIST, "churn_eu", MANAGE)).isFalse();
        // the model pattern covers the whole name
        assertThat(RULES.allows(SCIENTIST, "old_churn", READ)).isFalse();

        assertThat(RULES.allows(ANALYST, "fraud", READ)).isTrue();
        assertThat(RULES.allows(ANALYST, "fraud", CREATE)).isFalse();
        assertThat(RULES.allows(ANALYST, "houses", READ)).isFalse();

        // a rule with no privileges denies, even where a later rule would grant
        assertThat(RULES.allows(INTERN, "churn", READ)).isFalse();
    }

    @Test
    void everyConditionOfARuleMustHold()
    {
        assertThat(RULES.allows(new ModelPrincipal("etl", Set.of("batch"), Set.of()), "x", CREATE)).isTrue();
        assertThat(RULES.allows(ModelPrincipal.ofUser("etl"), "x", CREATE)).isFalse();
        assertThat(RULES.allows(new ModelPrincipal("etl2", Set.of("batch"), Set.of()), "x", CREATE)).isFalse();
    }

    @Test
    void withoutRulesEveryoneMayDoEverything()
    {
        assertThat(ModelAccessRules.ALLOW_ALL.restricted()).isFalse();
        assertThat(ModelAccessRules.ALLOW_ALL.allows(ModelPrincipal.ofUser("anyone"), "any", MANAGE)).isTrue();
        assertThat(RULES.restricted()).isTrue();
        assertThat(parse("{\"models\": []}").allows(ADMIN, "x", READ)).isFalse();
    }

    @Test
    void aDeniedUserLearnsNothingAboutTheModel()
    {
        // the same error whether the model exists or not: the check needs its name only
        assertThatThrownBy(() -> RULES.check(ANALYST, "houses", READ))
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(OnyxErrorCode.MODEL_ACCESS_DENIED))
                .hasMessage("Cannot use model 'houses': not found or access denied");
        assertThatThrownBy(() -> RULES.check(ANALYST, "fraud", CREATE)).hasMessage("Cannot add versions to model 'fraud'");
        assertThatThrownBy(() -> RULES.check(SCIENTIST, "churn", MANAGE)).hasMessage("Cannot manage model 'churn'");
        RULES.check(SCIENTIST, "churn", READ);
    }

    @Test
    void readsAFile()
            throws Exception
    {
        Path file = Files.writeString(temporary.resolve("rules.json"), "{\"models\": [{\"user\": \"bob\", \"privileges\": [\"READ\"]}]}");
        ModelAccessRules rules = ModelAccessRules.read(file);
        assertThat(rules.allows(ModelPrincipal.ofUser("bob"), "x", READ)).isTrue();
        assertThat(rules.allows(ModelPrincipal.ofUser("bobby"), "x", READ)).isFalse();

        assertThatThrownBy(() -> ModelAccessRules.read(temporary.resolve("missing.json")))
                .hasMessageStartingWith("The model access rules file " + temporary.resolve("missing.json") + " is not valid: it cannot be read");
        Path large = Files.write(temporary.resolve("large.json"), new byte[(1 << 20) + 1]);
        assertThatThrownBy(() -> ModelAccessRules.read(large)).hasMessageEndingWith("is not valid: it is larger than 1 MiB");
    }

    @Test
    void saysWhatIsWrongWithAFile()
    {
        assertInvalid("[]", "it must be a JSON object with an array \"models\" of rules");
        assertInvalid("{\"tables\": []}", "it must be a JSON object with an array \"models\" of rules");
        assertInvalid("{", "it is not valid JSON: ");
        assertInvalid("{\"models\": [{\"users\": \"bob\", \"privileges\": []}]}", "rule 1 has the unknown field \"users\"; a rule has user, group, role, model and privileges");
        assertInvalid("{\"models\": [{\"user\": \"bob\"}]}", "rule 1 needs \"privileges\": a list of READ, CREATE and MANAGE (empty to deny)");
        assertInvalid("{\"models\": [{\"privileges\": []}, {\"privileges\": [\"WRITE\"]}]}", "rule 2 has the unknown privilege \"WRITE\"; use READ, CREATE or MANAGE");
        assertInvalid("{\"models\": [{\"model\": \"(\", \"privileges\": []}]}", "rule 1: \"model\" is not a valid regular expression: Unclosed group");
        assertInvalid("{\"models\": [{\"group\": 7, \"privileges\": []}]}", "rule 1: \"group\" must be a text (a regular expression)");
        assertInvalid("{\"models\": [3]}", "rule 1 is not a JSON object");
    }

    private static void assertInvalid(String json, String why)
    {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(OnyxErrorCode.INVALID_ARGUMENT))
                .hasMessageStartingWith("The model access rules file test.json is not valid: " + why);
    }

    private static ModelAccessRules parse(String json)
    {
        return ModelAccessRules.parse(json.getBytes(UTF_8), "test.json");
    }
}
