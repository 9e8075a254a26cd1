package io.onyxml.trino;

import com.google.common.collect.ImmutableMap;
import io.onyxml.store.OnyxException;
import io.onyxml.store.access.ModelPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static io.onyxml.store.access.ModelPrivilege.MANAGE;
import static io.onyxml.store.access.ModelPrivilege.READ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestOnyxSecurityConfig
{
    @TempDir
    Path temporary;

    @Test
    void testDefaults()
    {
        assertRecordedDefaults(recordDefaults(OnyxSecurityConfig.class)
                .setRulesFile(null));
        // without a file, everyone may do everything
        assertThat(new OnyxSecurityConfig().rules().allows(ModelPrincipal.ofUser("anyone"), "any", MANAGE)).isTrue();
    }

    @Test
    void testExplicitPropertyMappings()
            throws Exception
    {
        Path file = Files.writeString(temporary.resolve("rules.json"), "{\"models\": [{\"user\": \"alice\", \"privileges\": [\"READ\"]}]}");
        assertFullMapping(
                ImmutableMap.of("onyx.security.rules-file", file.toString()),
                new OnyxSecurityConfig().setRulesFile(file.toString()));

        OnyxSecurityConfig config = new OnyxSecurityConfig().setRulesFile(file.toString());
        assertThat(config.rules().allows(ModelPrincipal.ofUser("alice"), "churn", READ)).isTrue();
        assertThat(config.rules().allows(ModelPrincipal.ofUser("bob"), "churn", READ)).isFalse();

        Files.writeString(file, "{\"models\": [{\"user\": \"alice\"}]}");
        assertThatThrownBy(config::rules)
                .isInstanceOf(OnyxException.class)
                .hasMessage("The model access rules file " + file + " is not valid: rule 1 needs \"privileges\": a list of READ, CREATE and MANAGE (empty to deny)");
    }
}
