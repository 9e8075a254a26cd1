package io.onyxml.spark.procedures;

import io.onyxml.store.OnyxException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.catalog.procedures.BoundProcedure;
import org.apache.spark.sql.connector.catalog.procedures.ProcedureParameter;
import org.apache.spark.sql.connector.catalog.procedures.UnboundProcedure;
import org.apache.spark.sql.connector.read.LocalScan;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Function1;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static java.util.Objects.requireNonNull;

/**
 * What the catalog's procedures share: their parameters, their arguments read from Spark's row, and their result
 * rows as one local scan. Their work is {@code Onyx}'s methods, which code calls directly.
 * <p>
 * A procedure is unbound until Spark binds it, which gives a separate bound procedure. Not Spark's
 * {@code SimpleProcedure} (one object both unbound and bound): Spark 4.2 takes a call of such a procedure as bound
 * before it has put the arguments in the parameters' order and filled in the defaults, so a call whose arguments
 * resolve only after a cast (such as {@code 'a' || chr(7)}, where {@code chr} takes a bigint) failed with Spark's
 * internal "number of args and params must match after binding" instead of running.
 */
abstract class BaseProcedure
        implements UnboundProcedure
{
    private final String name;
    private final String description;
    private final ProcedureParameter[] parameters;

    BaseProcedure(String name, String description, ProcedureParameter... parameters)
    {
        this.name = requireNonNull(name, "name is null");
        this.description = requireNonNull(description, "description is null");
        this.parameters = parameters.clone();
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public String description()
    {
        return description;
    }

    public ProcedureParameter[] parameters()
    {
        return parameters.clone();
    }

    @Override
    public BoundProcedure bind(StructType inputType)
    {
        return new Bound();
    }

    /**
     * Runs the procedure with its arguments in the parameters' order, defaults filled in.
     */
    public abstract Iterator<Scan> call(InternalRow input);

    static ProcedureParameter required(String name, DataType type)
    {
        return ProcedureParameter.in(name, type).build();
    }

    static ProcedureParameter optional(String name, DataType type, String defaultValue)
    {
        return ProcedureParameter.in(name, type).defaultValue(defaultValue).build();
    }

    static ProcedureParameter text(String name)
    {
        return required(name, DataTypes.StringType);
    }

    static SparkSession session()
    {
        return SparkSession.active();
    }

    /**
     * A text argument that may be NULL.
     */
    String text(InternalRow input, int index)
    {
        return input.isNullAt(index) ? null : input.getUTF8String(index).toString();
    }

    /**
     * A text argument that must not be NULL.
     */
    String requiredText(InternalRow input, int index)
    {
        String value = text(input, index);
        if (value == null) {
            throw new OnyxException(INVALID_ARGUMENT, parameters[index].name() + " cannot be null");
        }
        return value;
    }

    int version(InternalRow input, int index)
    {
        if (input.isNullAt(index)) {
            throw new OnyxException(INVALID_ARGUMENT, parameters[index].name() + " cannot be null");
        }
        long version = input.getLong(index);
        if (version <= 0 || version > Integer.MAX_VALUE) {
            throw new OnyxException(INVALID_ARGUMENT, parameters[index].name() + " must be a version number, got " + version);
        }
        return (int) version;
    }

    List<String> texts(InternalRow input, int index)
    {
        if (input.isNullAt(index)) {
            return null;
        }
        Object[] values = input.getArray(index).toObjectArray(DataTypes.StringType);
        List<String> texts = new ArrayList<>(values.length);
        for (Object value : values) {
            texts.add(value == null ? null : value.toString());
        }
        return Collections.unmodifiableList(texts);
    }

    static Iterator<Scan> noResult()
    {
        return Collections.emptyIterator();
    }

    /**
     * Rows of external values ({@link Row}) as the procedure's one result set.
     */
    static Iterator<Scan> result(StructType schema, List<Row> rows)
    {
        Function1<Object, Object> converter = CatalystTypeConverters.createToCatalystConverter(schema);
        InternalRow[] internal = rows.stream().map(row -> (InternalRow) converter.apply(row)).toArray(InternalRow[]::new);
        Scan scan = new LocalScan()
        {
            @Override
            public InternalRow[] rows()
            {
                return internal.clone();
            }

            @Override
            public StructType readSchema()
            {
                return schema;
            }
        };
        return List.of(scan).iterator();
    }

    private final class Bound
            implements BoundProcedure
    {
        @Override
        public String name()
        {
            return name;
        }

        @Override
        public String description()
        {
            return description;
        }

        @Override
        public ProcedureParameter[] parameters()
        {
            return BaseProcedure.this.parameters();
        }

        @Override
        public boolean isDeterministic()
        {
            return false;
        }

        @Override
        public Iterator<Scan> call(InternalRow input)
        {
            return BaseProcedure.this.call(input);
        }
    }
}
