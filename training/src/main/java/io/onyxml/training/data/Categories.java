package io.onyxml.training.data;

import com.google.common.collect.ImmutableList;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The distinct values of a text column in the order they were first seen, each with a code.
 */
final class Categories
{
    private final Map<String, Integer> codes = new HashMap<>();
    private final List<String> values = new ArrayList<>();

    /**
     * The code of a value, or -1 when it is new and the column already has {@code limit} values.
     */
    int code(String value, int limit)
    {
        Integer code = codes.get(value);
        if (code != null) {
            return code;
        }
        if (values.size() >= limit) {
            return -1;
        }
        int next = values.size();
        codes.put(value, next);
        values.add(value);
        return next;
    }

    List<String> values()
    {
        return ImmutableList.copyOf(values);
    }

    int size()
    {
        return values.size();
    }
}
