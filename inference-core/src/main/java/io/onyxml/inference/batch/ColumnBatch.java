package io.onyxml.inference.batch;

import com.google.common.collect.ImmutableList;

import java.util.List;
import java.util.Optional;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * Named columns of equal length: the unit the inference core scores at once.
 */
public record ColumnBatch(List<String> names, List<Column> columns, int rowCount)
{
    public ColumnBatch
    {
        names = ImmutableList.copyOf(requireNonNull(names, "names is null"));
        columns = ImmutableList.copyOf(requireNonNull(columns, "columns is null"));
        checkArgument(names.size() == columns.size(), "%s names for %s columns", names.size(), columns.size());
        checkArgument(rowCount >= 0, "rowCount is negative");
        for (int i = 0; i < columns.size(); i++) {
            checkArgument(columns.get(i).size() == rowCount, "column %s has %s rows, the batch %s", names.get(i), columns.get(i).size(), rowCount);
        }
    }

    public static Builder builder(int rowCount)
    {
        return new Builder(rowCount);
    }

    public Column column(int index)
    {
        return columns.get(index);
    }

    public Optional<Column> column(String name)
    {
        int index = names.indexOf(name);
        return index < 0 ? Optional.empty() : Optional.of(columns.get(index));
    }

    public static final class Builder
    {
        private final int rowCount;
        private final ImmutableList.Builder<String> names = ImmutableList.builder();
        private final ImmutableList.Builder<Column> columns = ImmutableList.builder();

        private Builder(int rowCount)
        {
            this.rowCount = rowCount;
        }

        public Builder add(String name, Column column)
        {
            names.add(name);
            columns.add(column);
            return this;
        }

        public ColumnBatch build()
        {
            return new ColumnBatch(names.build(), columns.build(), rowCount);
        }
    }
}
