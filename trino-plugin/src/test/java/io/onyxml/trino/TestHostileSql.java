package io.onyxml.trino;

import io.onyxml.store.RegisterOptions;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.Test;

import static io.onyxml.trino.OnyxErrorCode.ONYX_INVALID_ARGUMENT;
import static io.onyxml.trino.OnyxErrorCode.ONYX_INVALID_MODEL_INPUT;
import static io.onyxml.trino.OnyxErrorCode.ONYX_INVALID_MODEL_REFERENCE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What SQL users can throw at the functions and procedures: very long, path-like and control-character names and
 * references, huge text features, arrays of the wrong length, NaN, infinities and values beyond float, nested rows.
 * Each gets a clear error that echoes at most the start of what it was given, or a documented result.
 */
class TestHostileSql
        extends AbstractOnyxQueryTest
{
    private static final String REFERENCE_HELP = "use 'name' (latest version), 'name/3' (version 3) or 'name@alias'";

    @Override
    protected void registerModels()
    {
        register("linear", TestModels.linearRegression(), RegisterOptions.DEFAULTS);
    }

    @Test
    void hostileReferencesAndNames()
    {
        // a long reference is echoed by its start and its length
        assertThat(query("SELECT predict(lpad('', 100000, 'a'), 1, 2, 3, 4)")).failure()
                .hasErrorCode(ONYX_INVALID_MODEL_REFERENCE)
                .hasMessageStartingWith("Invalid model reference '" + "a".repeat(160) + "... (100000 characters)': Invalid model name");
        assertThat(query("SELECT predict('linear@' || lpad('', 10000, 'x'), 1, 2, 3, 4)")).failure()
                .hasErrorCode(ONYX_INVALID_MODEL_REFERENCE)
                .hasMessageContaining("(10007 characters)': Invalid alias");
        // paths are names, never files
        assertThat(query("SELECT predict('../../etc/passwd', 1, 2, 3, 4)")).failure()
                .hasErrorCode(ONYX_INVALID_MODEL_REFERENCE)
                .hasMessage("Invalid model reference '../../etc/passwd': '../etc/passwd' is not a version number; " + REFERENCE_HELP);
        assertThat(query("SELECT predict('linear/99999999999999999999', 1, 2, 3, 4)")).failure()
                .hasErrorCode(ONYX_INVALID_MODEL_REFERENCE)
                .hasMessage("Invalid model reference 'linear/99999999999999999999': '99999999999999999999' is not a version number; " + REFERENCE_HELP);
        // control characters are shown escaped
        assertThat(query("SELECT predict(chr(0) || 'linear', 1, 2, 3, 4)")).failure()
                .hasErrorCode(ONYX_INVALID_MODEL_REFERENCE)
                .hasMessage("Invalid model reference '\\u0000linear': it holds control characters; " + REFERENCE_HELP);
        assertThat(query("SELECT predict('lin' || chr(10) || 'ear', 1, 2, 3, 4)")).failure()
                .hasMessage("Invalid model reference 'lin\\u000aear': it holds control characters; " + REFERENCE_HELP);

        assertThat(query("CALL ml.system.register_model(lpad('', 1000, 'a'), '/tmp/x.onnx')")).failure()
                .hasErrorCode(ONYX_INVALID_MODEL_REFERENCE)
                .hasMessage("Invalid model name '" + "a".repeat(160) + "... (1000 characters)': use 1 to 128 characters from a-z, 0-9, '_', '-', '.' and '=', starting with a letter or digit, without '..'");
        assertThat(query("CALL ml.system.register_model('a' || chr(7), '/tmp/x.onnx')")).failure()
                .hasErrorCode(ONYX_INVALID_MODEL_REFERENCE)
                .hasMessageStartingWith("Invalid model name 'a\\u0007': ");
        // training's own words are shortened too
        assertThat(query("SELECT * FROM TABLE(train_model(input => TABLE(SELECT 1e0 a, 2e0 y), model => 'm', label => 'y', algorithm => lpad('', 100000, 'g')))")).failure()
                .hasErrorCode(ONYX_INVALID_ARGUMENT)
                .hasMessageStartingWith("Unknown algorithm '" + "g".repeat(160) + "... (100000 characters)': use one of ");
        assertThat(query("SELECT * FROM TABLE(train_model(input => TABLE(SELECT 1e0 a, 2e0 y), model => 'm', label => 'y', algorithm => 'linear_regression', options => lpad('', 100000, 'o') || '=1'))")).failure()
                .hasErrorCode(ONYX_INVALID_ARGUMENT)
                .hasMessageStartingWith("Unknown option '" + "o".repeat(160) + "... (100000 characters)' for linear_regression: ");
        assertThat(query("CALL ml.system.set_alias('linear', 'prod' || chr(0), 1)")).failure()
                .hasErrorCode(ONYX_INVALID_MODEL_REFERENCE)
                .hasMessage("Invalid alias 'prod\\u0000': use 1 to 64 characters from a-z, 0-9, '_' and '-', starting with a letter");
        // nothing was registered or moved
        assertThat(computeActual("SELECT name, version_count, cardinality(aliases) FROM ml.system.models").getMaterializedRows())
                .extracting(row -> row.getFields().toString())
                .containsExactly("[linear, 1, 1]");
    }

    @Test
    void hostileFeatures()
    {
        assertThat(query("SELECT predict('linear', ARRAY[1e0, 2])")).failure()
                .hasErrorCode(ONYX_INVALID_MODEL_INPUT)
                .hasMessage("Model linear/1 input 'x' (float[N,4]) needs 4 values per row, but a row of its array column has 2");
        assertThat(query("SELECT predict('linear', ARRAY[1e0, 2, 3, 4, 5])")).failure()
                .hasErrorCode(ONYX_INVALID_MODEL_INPUT)
                .hasMessage("Model linear/1 input 'x' (float[N,4]) needs 4 values per row, but a row of its array column has 5");
        assertThat(query("SELECT predict('linear', 1e300, 1, 2, 3)")).failure()
                .hasErrorCode(ONYX_INVALID_MODEL_INPUT)
                .hasMessage("Model linear/1 feature 'x_0' (input 'x', float[N,4]) got 1.0E300, beyond the range of its 32-bit floats (±3.4028235E38)");
        // NaN and infinities are floats: they go through the model as IEEE arithmetic has them (documented)
        assertThat(query("SELECT is_nan(predict('linear', nan(), 1, 2, 3)), predict('linear', infinity(), 1, 2, 3), predict('linear', -infinity(), 1, 2, 3)"))
                .matches("VALUES (true, infinity(), -infinity())");
        // a megabyte of text where the model takes a number
        String notANumber = "Model linear/1 input 'x' (float[N,4]) cannot take column 'x_0' of type varchar: it needs a number (double, float, bigint, integer, or a boolean as 0 or 1)";
        assertThat(query("SELECT predict('linear', CAST(ROW(lpad('', 1000000, 'z'), 2e0, 3e0, 4e0) AS ROW(x_0 varchar, x_1 double, x_2 double, x_3 double)))")).failure()
                .hasErrorCode(ONYX_INVALID_MODEL_INPUT)
                .hasMessage(notANumber);
        assertThat(query("SELECT * FROM TABLE(predict(input => TABLE(SELECT lpad('', 1000000, 'z') AS x_0, 2e0 AS x_1, 3e0 AS x_2, 4e0 AS x_3), model => 'linear'))")).failure()
                .hasErrorCode(ONYX_INVALID_MODEL_INPUT)
                .hasMessage(notANumber);
        // a nested row (Trino 483 quotes the field names of a row type in its display name, 476 does not)
        assertThat(query("SELECT predict('linear', CAST(ROW(ROW(1e0), 2e0, 3e0, 4e0) AS ROW(x_0 ROW(v double), x_1 double, x_2 double, x_3 double)))")).failure()
                .hasMessageMatching("Field 'x_0' has type row\\(\"?v\"? double\\), which cannot be passed to a model; use double, real, bigint, integer, decimal, boolean, varchar or arrays of numbers \\(cast it\\)");
    }
}
