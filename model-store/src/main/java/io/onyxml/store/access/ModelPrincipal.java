package io.onyxml.store.access;

import com.google.common.collect.ImmutableSet;

import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Who asks, as the engine knows them: the user, the user's groups and the roles enabled for the query or job.
 */
public record ModelPrincipal(String user, Set<String> groups, Set<String> roles)
{
    public ModelPrincipal
    {
        requireNonNull(user, "user is null");
        groups = ImmutableSet.copyOf(requireNonNull(groups, "groups is null"));
        roles = ImmutableSet.copyOf(requireNonNull(roles, "roles is null"));
    }

    public static ModelPrincipal ofUser(String user)
    {
        return new ModelPrincipal(user, Set.of(), Set.of());
    }
}
