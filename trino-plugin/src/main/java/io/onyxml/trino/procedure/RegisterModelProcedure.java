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
import io.trino.spi.type.ArrayType;

import java.lang.invoke.MethodHandle;
import java.util.List;

import static io.onyxml.store.access.ModelPrivilege.CREATE;
import static io.onyxml.trino.TrinoErrors.translated;
import static io.trino.plugin.base.util.Procedures.checkProcedureArgument;
import static io.trino.spi.type.BooleanType.BOOLEAN;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.lang.invoke.MethodHandles.lookup;
import static java.util.Objects.requireNonNull;

/**
 * {@code CALL system.register_model(name, uri [, description [, task [, feature_names [, handles_missing_values [,
 * class_labels]]]]])}: adds a version of a model from an ONNX file (or an XGBoost JSON or UBJSON model, converted
 * to ONNX) given as a path on the coordinator, a {@code file:} URI or an
 * {@code s3://bucket/key} URI, in one of the locations {@code onyx.register-model.allowed-locations} names. What
 * cannot be served is refused before anything is stored (see {@code InferenceEngine.validator()}). The task ({@code regression}, {@code classification}, {@code clustering},
 * {@code embedding}, {@code other}) and the feature names default to what the file says; a model that handles missing
 * values gets NaN for NULL float and double features instead of giving NULL.
 */
public class RegisterModelProcedure
        implements Provider<Procedure>
{
    private static final MethodHandle REGISTER_MODEL;

    static {
        try {
            REGISTER_MODEL = lookup().unreflect(RegisterModelProcedure.class.getMethod("registerModel", ConnectorSession.class, String.class, String.class, String.class, String.class, List.class, Boolean.class, List.class));
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
                        new Procedure.Argument("DESCRIPTION", VARCHAR, false, null),
                        new Procedure.Argument("TASK", VARCHAR, false, null),
                        new Procedure.Argument("FEATURE_NAMES", new ArrayType(VARCHAR), false, null),
                        new Procedure.Argument("HANDLES_MISSING_VALUES", BOOLEAN, false, false),
                        new Procedure.Argument("CLASS_LABELS", new ArrayType(VARCHAR), false, null)),
                REGISTER_MODEL.bindTo(this));
    }

    public void registerModel(ConnectorSession session, String name, String uri, String description, String task, List<?> featureNames, Boolean handlesMissingValues, List<?> classLabels)
    {
        checkProcedureArgument(name != null, "name cannot be null");
        checkProcedureArgument(uri != null, "uri cannot be null");
        RegisterOptions options = translated(() -> RegisterOptions.fromArguments(description, task, featureNames, Boolean.TRUE.equals(handlesMissingValues), classLabels))
                .withRegisteredBy(session.getUser());
        models.check(session, name, CREATE);
        try (ThreadContextClassLoader _ = new ThreadContextClassLoader(getClass().getClassLoader())) {
            models.register(name, translated(() -> ModelSource.parse(uri)), options);
        }
    }
}
