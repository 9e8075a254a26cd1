package io.onyxml.trino.procedure;

import com.google.common.collect.ImmutableList;
import com.google.inject.Inject;
import com.google.inject.Provider;
import io.onyxml.trino.OnyxModels;
import io.trino.spi.classloader.ThreadContextClassLoader;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.procedure.Procedure;

import java.lang.invoke.MethodHandle;

import static io.onyxml.store.access.ModelPrivilege.MANAGE;
import static io.onyxml.trino.TrinoErrors.translated;
import static io.trino.plugin.base.util.Procedures.checkProcedureArgument;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.lang.invoke.MethodHandles.lookup;
import static java.util.Objects.requireNonNull;

/**
 * {@code CALL system.set_alias(name, alias, version)}: points an alias ({@code production}, {@code staging}) at a version.
 */
public class SetAliasProcedure
        implements Provider<Procedure>
{
    private static final MethodHandle SET_ALIAS;

    static {
        try {
            SET_ALIAS = lookup().unreflect(SetAliasProcedure.class.getMethod("setAlias", ConnectorSession.class, String.class, String.class, Long.class));
        }
        catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private final OnyxModels models;

    @Inject
    public SetAliasProcedure(OnyxModels models)
    {
        this.models = requireNonNull(models, "models is null");
    }

    @Override
    public Procedure get()
    {
        return new Procedure(
                "system",
                "set_alias",
                ImmutableList.of(
                        new Procedure.Argument("NAME", VARCHAR),
                        new Procedure.Argument("ALIAS", VARCHAR),
                        new Procedure.Argument("VERSION", BIGINT)),
                SET_ALIAS.bindTo(this));
    }

    public void setAlias(ConnectorSession session, String name, String alias, Long version)
    {
        checkProcedureArgument(name != null, "name cannot be null");
        checkProcedureArgument(alias != null, "alias cannot be null");
        checkProcedureArgument(version != null, "version cannot be null");
        checkProcedureArgument(version > 0 && version <= Integer.MAX_VALUE, "version must be a version number, got %s", version);
        models.check(session, name, MANAGE);
        try (ThreadContextClassLoader _ = new ThreadContextClassLoader(getClass().getClassLoader())) {
            translated(() -> models.store().setAlias(name, alias, version.intValue()));
            models.invalidate();
        }
    }
}
