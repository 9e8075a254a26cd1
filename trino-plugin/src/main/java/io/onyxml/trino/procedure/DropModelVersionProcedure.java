package io.onyxml.trino.procedure;

import com.google.common.collect.ImmutableList;
import com.google.inject.Inject;
import com.google.inject.Provider;
import io.onyxml.store.ModelManifest;
import io.onyxml.trino.OnyxModels;
import io.trino.spi.classloader.ThreadContextClassLoader;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.procedure.Procedure;

import java.lang.invoke.MethodHandle;
import java.util.List;

import static io.onyxml.store.access.ModelPrivilege.MANAGE;
import static io.onyxml.trino.TrinoErrors.translated;
import static io.trino.plugin.base.util.Procedures.checkProcedureArgument;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.BooleanType.BOOLEAN;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.lang.invoke.MethodHandles.lookup;
import static java.util.Objects.requireNonNull;

/**
 * {@code CALL system.drop_model_version(name, version [, force])}: refused while an alias points at the version, unless
 * forced (which drops those aliases too). The version number is never reused.
 */
public class DropModelVersionProcedure
        implements Provider<Procedure>
{
    private static final MethodHandle DROP_MODEL_VERSION;

    static {
        try {
            DROP_MODEL_VERSION = lookup().unreflect(DropModelVersionProcedure.class.getMethod("dropModelVersion", ConnectorSession.class, String.class, Long.class, Boolean.class));
        }
        catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private final OnyxModels models;

    @Inject
    public DropModelVersionProcedure(OnyxModels models)
    {
        this.models = requireNonNull(models, "models is null");
    }

    @Override
    public Procedure get()
    {
        return new Procedure(
                "system",
                "drop_model_version",
                ImmutableList.of(
                        new Procedure.Argument("NAME", VARCHAR),
                        new Procedure.Argument("VERSION", BIGINT),
                        new Procedure.Argument("FORCE", BOOLEAN, false, false)),
                DROP_MODEL_VERSION.bindTo(this));
    }

    public void dropModelVersion(ConnectorSession session, String name, Long version, Boolean force)
    {
        checkProcedureArgument(name != null, "name cannot be null");
        checkProcedureArgument(version != null, "version cannot be null");
        checkProcedureArgument(version > 0 && version <= Integer.MAX_VALUE, "version must be a version number, got %s", version);
        models.check(session, name, MANAGE);
        try (ThreadContextClassLoader _ = new ThreadContextClassLoader(getClass().getClassLoader())) {
            ModelManifest deleted = translated(() -> models.store().manifest(name, version.intValue()));
            translated(() -> models.store().deleteVersion(name, version.intValue(), Boolean.TRUE.equals(force)));
            models.deleted(List.of(deleted));
        }
    }
}
