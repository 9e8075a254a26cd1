package io.onyxml.store.access;

import com.google.common.collect.ImmutableSet;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One rule of a rules file: whom it applies to (a user, a group, a role, each a regular expression over the whole
 * name; all that are given must match), which models (a regular expression over the model name) and what it grants.
 */
public record ModelAccessRule(Optional<Pattern> user, Optional<Pattern> group, Optional<Pattern> role, Pattern model, Set<ModelPrivilege> privileges)
{
    public ModelAccessRule
    {
        requireNonNull(user, "user is null");
        requireNonNull(group, "group is null");
        requireNonNull(role, "role is null");
        requireNonNull(model, "model is null");
        privileges = ImmutableSet.copyOf(requireNonNull(privileges, "privileges is null"));
    }

    public boolean appliesTo(ModelPrincipal principal, String modelName)
    {
        return user.map(pattern -> pattern.matcher(principal.user()).matches()).orElse(true)
                && group.map(pattern -> principal.groups().stream().anyMatch(name -> pattern.matcher(name).matches())).orElse(true)
                && role.map(pattern -> principal.roles().stream().anyMatch(name -> pattern.matcher(name).matches())).orElse(true)
                && model.matcher(modelName).matches();
    }
}
