package io.onyxml.spark.procedures;

import com.google.common.collect.ImmutableMap;
import io.onyxml.store.OnyxException;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.procedures.UnboundProcedure;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static java.lang.String.format;

/**
 * The procedures of the Onyx catalog, by name, in its schema {@code system}.
 */
public final class OnyxProcedures
{
    private static final Map<String, Supplier<UnboundProcedure>> PROCEDURES = ImmutableMap.<String, Supplier<UnboundProcedure>>builder()
            .put("register_model", RegisterModelProcedure::new)
            .put("set_alias", SetAliasProcedure::new)
            .put("drop_alias", DropAliasProcedure::new)
            .put("drop_model_version", DropModelVersionProcedure::new)
            .put("drop_model", DropModelProcedure::new)
            .put("train_model", TrainModelProcedure::new)
            .put("evaluate", EvaluateProcedure::new)
            .buildOrThrow();

    private OnyxProcedures() {}

    public static Set<String> names()
    {
        return PROCEDURES.keySet();
    }

    public static UnboundProcedure load(String catalog, Identifier identifier)
    {
        String name = identifier.name().toLowerCase(Locale.ROOT);
        if (identifier.namespace().length != 1 || !identifier.namespace()[0].equalsIgnoreCase("system") || !PROCEDURES.containsKey(name)) {
            throw new OnyxException(INVALID_ARGUMENT, format(
                    "Procedure %s.%s does not exist; the procedures are %s.system.%s",
                    catalog,
                    identifier,
                    catalog,
                    String.join(", " + catalog + ".system.", PROCEDURES.keySet())));
        }
        return PROCEDURES.get(name).get();
    }
}
