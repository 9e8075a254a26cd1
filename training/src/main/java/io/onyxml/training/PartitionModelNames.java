package io.onyxml.training;

import io.onyxml.store.ModelNames;
import io.onyxml.store.OnyxException;

import java.util.List;

import static com.google.common.base.Preconditions.checkArgument;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_NAME;
import static java.lang.String.format;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The name of a model trained for one partition: {@code <model>__<column>=<value>}, one {@code __<column>=<value>}
 * per partitioning column. Column names and values keep a-z, 0-9 and '-'; every other byte of their UTF-8 form
 * (upper case, '_', '.', '=', spaces, ...) is written as '.' and two hex digits, and NULL as {@code .null}, so two
 * partitions never share a name and the separators are unambiguous. Numbers are written as the engines' class
 * labels are ({@code 1}, not {@code 1.0}).
 */
public final class PartitionModelNames
{
    private PartitionModelNames() {}

    public static String name(String model, List<String> columns, List<String> values)
    {
        checkArgument(columns.size() == values.size(), "columns and values differ in size");
        StringBuilder name = new StringBuilder(model);
        for (int i = 0; i < columns.size(); i++) {
            name.append("__").append(escape(columns.get(i))).append('=').append(values.get(i) == null ? ".null" : escape(values.get(i)));
        }
        String result = name.toString();
        if (result.length() > ModelNames.MAX_MODEL_NAME_LENGTH) {
            throw new OnyxException(INVALID_MODEL_NAME, format(
                    "The model name for partition %s is %s characters long, more than %s; use a shorter model name or shorter partition values",
                    ModelNames.printable(shortened(result.substring(model.length()))),
                    result.length(),
                    ModelNames.MAX_MODEL_NAME_LENGTH));
        }
        return ModelNames.checkModelName(result);
    }

    private static String shortened(String text)
    {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    static String escape(String text)
    {
        StringBuilder escaped = new StringBuilder();
        for (byte value : text.getBytes(UTF_8)) {
            char character = (char) (value & 0xff);
            if ((character >= 'a' && character <= 'z') || (character >= '0' && character <= '9') || character == '-') {
                escaped.append(character);
            }
            else {
                escaped.append('.').append(Character.forDigit((value >> 4) & 0xf, 16)).append(Character.forDigit(value & 0xf, 16));
            }
        }
        return escaped.toString();
    }
}
