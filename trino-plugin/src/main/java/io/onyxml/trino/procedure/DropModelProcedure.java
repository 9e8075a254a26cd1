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
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.lang.invoke.MethodHandles.lookup;
import static java.util.Objects.requireNonNull;

/**
 * {@code CALL system.drop_model(name)}: deletes a model with all its versions and aliases.
 */
public class DropModelProcedure
        implements Provider<Procedure>
{
    private static final MethodHandle DROP_MODEL;

    static {
        try {
            DROP_MODEL = lookup().unreflect(DropModelProcedure.class.getMethod("dropModel", ConnectorSession.class, String.class));
        }
        catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private final OnyxModels models;

    @Inject
    public DropModelProcedure(OnyxModels models)
    {
        this.models = requireNonNull(models, "models is null");
    }

    @Override
    public Procedure get()
    {
        return new Procedure(
                "system",
                "drop_model",
                ImmutableList.of(new Procedure.Argument("NAME", VARCHAR)),
                DROP_MODEL.bindTo(this));
    }

    public void dropModel(ConnectorSession session, String name)
    {
        checkProcedureArgument(name != null, "name cannot be null");
        models.check(session, name, MANAGE);
        try (ThreadContextClassLoader _ = new ThreadContextClassLoader(getClass().getClassLoader())) {
            List<ModelManifest> deleted = translated(() -> models.store().listVersions(name));
            translated(() -> models.store().deleteModel(name));
            models.deleted(deleted);
        }
    }
}
