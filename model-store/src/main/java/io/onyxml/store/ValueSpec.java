package io.onyxml.store;

import com.google.common.collect.ImmutableList;
import com.google.common.math.LongMath;

import java.util.List;
import java.util.Optional;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.joining;

/**
 * One input or output of a model: its name, kind, element type and shape. In a shape, {@value #DYNAMIC} marks a
 * dimension whose size is only known at run time (the batch axis, usually the first). For maps and sequences of
 * maps, {@code elementType} is the type of the values and {@code keyType} the type of the keys.
 */
public record ValueSpec(String name, ValueKind kind, ElementType elementType, Optional<ElementType> keyType, Optional<List<Long>> shape)
{
    public static final long DYNAMIC = -1;

    public ValueSpec
    {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(elementType, "elementType is null");
        requireNonNull(keyType, "keyType is null");
        shape = requireNonNull(shape, "shape is null").map(ImmutableList::copyOf);
        shape.ifPresent(dimensions -> dimensions.forEach(dimension -> checkArgument(dimension >= DYNAMIC, "invalid dimension %s of %s", dimension, name)));
    }

    public static ValueSpec tensor(String name, ElementType elementType, long... shape)
    {
        ImmutableList.Builder<Long> dimensions = ImmutableList.builder();
        for (long dimension : shape) {
            dimensions.add(dimension);
        }
        return new ValueSpec(name, ValueKind.TENSOR, elementType, Optional.empty(), Optional.of(dimensions.build()));
    }

    public static ValueSpec sequenceOfMaps(String name, ElementType keyType, ElementType valueType)
    {
        return new ValueSpec(name, ValueKind.SEQUENCE_OF_MAPS, valueType, Optional.of(keyType), Optional.empty());
    }

    public boolean isTensor()
    {
        return kind == ValueKind.TENSOR;
    }

    /**
     * The rank of a tensor, or empty when the model does not declare a shape.
     */
    public Optional<Integer> rank()
    {
        return shape.map(List::size);
    }

    /**
     * The number of values per row of a tensor whose first axis is the batch: 1 for {@code [N]}, K for {@code [N, K]},
     * the product of the other dimensions for higher ranks, or {@link Long#MAX_VALUE} when that product does not fit in
     * a long. Empty when a non-batch dimension is dynamic or unknown.
     */
    public Optional<Long> valuesPerRow()
    {
        if (shape.isEmpty() || shape.get().isEmpty()) {
            return Optional.empty();
        }
        long product = 1;
        List<Long> dimensions = shape.get();
        for (int i = 1; i < dimensions.size(); i++) {
            if (dimensions.get(i) == DYNAMIC) {
                return Optional.empty();
            }
            product = LongMath.saturatedMultiply(product, dimensions.get(i));
        }
        return Optional.of(product);
    }

    /**
     * A short type description for messages and catalog tables, e.g. {@code float[N,4]} or
     * {@code seq(map(string,float))}.
     */
    public String typeText()
    {
        return switch (kind) {
            case TENSOR -> elementType.displayName() + shape.map(ValueSpec::shapeText).orElse("[?]");
            case SEQUENCE_OF_MAPS -> "seq(map(" + keyType.map(ElementType::displayName).orElse("?") + "," + elementType.displayName() + "))";
            case SEQUENCE_OF_TENSORS -> "seq(" + elementType.displayName() + ")";
            case MAP -> "map(" + keyType.map(ElementType::displayName).orElse("?") + "," + elementType.displayName() + ")";
            case OTHER -> "other";
        };
    }

    private static String shapeText(List<Long> shape)
    {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < shape.size(); i++) {
            if (i > 0) {
                text.append(',');
            }
            long dimension = shape.get(i);
            text.append(dimension == DYNAMIC ? (i == 0 ? "N" : "?") : Long.toString(dimension));
        }
        return text.append(']').toString();
    }

    @Override
    public String toString()
    {
        return name + " " + typeText();
    }

    static String describe(List<ValueSpec> values)
    {
        return values.stream().map(ValueSpec::toString).collect(joining(", "));
    }
}
