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
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.lang.invoke.MethodHandles.lookup;
import static java.util.Objects.requireNonNull;

/**
 * {@code CALL system.drop_alias(name, alias)}.
 */
public class DropAliasProcedure
        implements Provider<Procedure>
{
    private static final MethodHandle DROP_ALIAS;

    static {
        try {
            DROP_ALIAS = lookup().unreflect(DropAliasProcedure.class.getMethod("dropAlias", ConnectorSession.class, String.class, String.class));
        }
        catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private final OnyxModels models;

    @Inject
    public DropAliasProcedure(OnyxModels models)
    {
        this.models = requireNonNull(models, "models is null");
    }

    @Override
    public Procedure get()
    {
        return new Procedure(
                "system",
                "drop_alias",
                ImmutableList.of(
                        new Procedure.Argument("NAME", VARCHAR),
                        new Procedure.Argument("ALIAS", VARCHAR)),
                DROP_ALIAS.bindTo(this));
    }

    public void dropAlias(ConnectorSession session, String name, String alias)
    {
        checkProcedureArgument(name != null, "name cannot be null");
        checkProcedureArgument(alias != null, "alias cannot be null");
        models.check(session, name, MANAGE);
        try (ThreadContextClassLoader _ = new ThreadContextClassLoader(getClass().getClassLoader())) {
            translated(() -> models.store().removeAlias(name, alias));
            models.invalidate();
        }
    }
}
