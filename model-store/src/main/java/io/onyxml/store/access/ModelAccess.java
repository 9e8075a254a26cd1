package io.onyxml.store.access;

import static java.util.Objects.requireNonNull;

/**
 * What one principal may do, under one catalog's rules: the checks every engine makes before it reads, writes or
 * lists a model.
 */
public record ModelAccess(ModelAccessRules rules, ModelPrincipal principal)
{
    public ModelAccess
    {
        requireNonNull(rules, "rules is null");
        requireNonNull(principal, "principal is null");
    }

    public boolean allows(String model, ModelPrivilege privilege)
    {
        return rules.allows(principal, model, privilege);
    }

    public void check(String model, ModelPrivilege privilege)
    {
        rules.check(principal, model, privilege);
    }
}
