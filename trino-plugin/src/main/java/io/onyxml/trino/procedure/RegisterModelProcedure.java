package io.onyxml.trino.procedure;

import com.google.common.collect.ImmutableList;
import com.google.inject.Inject;
import com.google.inject.Provider;
import io.onyxml.store.ModelSource;
import io.onyxml.store.RegisterOptions;
import io.onyxml.trino.OnyxModels;
import io.trino.spi.classloader.ThreadContextClassLoader;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.procedure.Procedure;

import java.lang.invoke.MethodHandle;

import static io.onyxml.trino.TrinoErrors.translated;
import static io.trino.plugin.base.util.Procedures.checkProcedureArgument;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.lang.invoke.MethodHandles.lookup;
import static java.util.Objects.requireNonNull;

/**
 * {@code CALL system.register_model(name, uri [, description])}: adds a version of a model from an ONNX file given as a
 * path on the coordinator, a {@code file:} URI or an {@code s3://bucket/key} URI.
 */
public class RegisterModelProcedure
        implements Provider<Procedure>
{
    private static final MethodHandle REGISTER_MODEL;

    static {
        try {
            REGISTER_MODEL = lookup().unreflect(RegisterModelProcedure.class.getMethod("registerModel", ConnectorSession.class, String.class, String.class, String.class));
        }
        catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private final OnyxModels models;

    @Inject
    public RegisterModelProcedure(OnyxModels models)
    {
        this.models = requireNonNull(models, "models is null");
    }

    @Override
    public Procedure get()
    {
        return new Procedure(
                "system",
                "register_model",
                ImmutableList.of(
                        new Procedure.Argument("NAME", VARCHAR),
                        new Procedure.Argument("URI", VARCHAR),
                        new Procedure.Argument("DESCRIPTION", VARCHAR, false, null)),
                REGISTER_MODEL.bindTo(this));
    }

    public void registerModel(ConnectorSession session, String name, String uri, String description)
    {
        checkProcedureArgument(name != null, "name cannot be null");
        checkProcedureArgument(uri != null, "uri cannot be null");
        try (ThreadContextClassLoader _ = new ThreadContextClassLoader(getClass().getClassLoader())) {
            translated(() -> models.store().register(name, ModelSource.parse(uri), RegisterOptions.builder().description(description).build()));
            models.invalidate();
        }
    }
}
