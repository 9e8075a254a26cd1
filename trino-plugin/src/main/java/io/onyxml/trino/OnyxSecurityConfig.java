package io.onyxml.trino;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.onyxml.store.access.ModelAccessRules;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Who may read, add versions to and manage which models of the catalog: a rules file in the JSON style of Trino's
 * file-based access control. Without one, every user of the catalog may do everything.
 */
public class OnyxSecurityConfig
{
    private String rulesFile;

    public Optional<String> getRulesFile()
    {
        return Optional.ofNullable(rulesFile);
    }

    @Config("onyx.security.rules-file")
    @ConfigDescription("JSON file of rules: which users, groups and roles may READ, CREATE versions of and MANAGE which models; every user may do everything when not set")
    public OnyxSecurityConfig setRulesFile(String rulesFile)
    {
        this.rulesFile = rulesFile;
        return this;
    }

    /**
     * The rules, read from the file once, when the catalog starts.
     */
    public ModelAccessRules rules()
    {
        return getRulesFile().map(file -> ModelAccessRules.read(Path.of(file))).orElse(ModelAccessRules.ALLOW_ALL);
    }
}
