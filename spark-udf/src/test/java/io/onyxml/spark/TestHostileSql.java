package io.onyxml.spark;

import com.google.common.base.Throwables;
import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelSummary;
import io.onyxml.store.ModelTask;
import io.onyxml.store.OnyxErrorCode;
import io.onyxml.store.OnyxException;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.testing.TestModels;
import org.apache.spark.SparkArithmeticException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static io.onyxml.store.OnyxErrorCode.INVALID_ALIAS;
import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_INPUT;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_NAME;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_REFERENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

/**
 * What users can throw at Onyx in Spark: the hostile input of the Trino plugin's {@code TestHostileSql} through the
 * SQL functions, the DataFrame API ({@code Onyx.predict}, {@code Onyx.evaluate}) and the catalog's procedures, and
 * Spark's own (NULL structs and arrays, empty arrays, maps, duplicate field names). Each gets the core's error, with
 * Trino's message, echoing at most the start of what it was given, or a documented result computed here; none
 * changes the store or stops the session (checked after every test).
 */
class TestHostileSql
        extends OnyxSparkTestBase
{
    private static final String REFERENCE_HELP = "use 'name' (latest version), 'name/3' (version 3) or 'name@alias'";
    private static final String NAME_RULE = "use 1 to 128 characters from a-z, 0-9, '_', '-', '.' and '=', starting with a letter or digit, without '..'";
    private static final String ALIAS_RULE = "use 1 to 64 characters from a-z, 0-9, '_' and '-', starting with a letter";
    private static final String MODEL_TYPES = "which cannot be passed to a model; use double, real, bigint, integer, decimal, boolean, varchar or arrays of numbers (cast it)";
    private static final String NOT_A_NUMBER = "Model linear/1 input 'x' (float[N,4]) cannot take column 'x_0' of type varchar: it needs a number (double, float, bigint, integer, or a boolean as 0 or 1)";
    private static final String PASS_NUMBERS = "pass numbers, one array of numbers, or one struct whose fields are named as the model's features (named_struct('a', a, ...)), which also takes strings and booleans";

    private Path uploads;
    private Path linearFile;

    @Override
    protected SparkSession.Builder configure(SparkSession.Builder builder)
            throws IOException
    {
        uploads = Files.createTempDirectory("onyx-spark-uploads-").toRealPath();
        linearFile = Files.write(uploads.resolve("linear.onnx"), TestModels.linearRegression());
        return builder
                .config("spark.sql.extensions", OnyxExtensions.class.getName())
                .config("spark.sql.catalog.ml", OnyxCatalog.class.getName())
                .config("spark.onyx.change-delay", "0ms")
                .config("spark.onyx.register-model.allowed-locations", uploads.toString());
    }

    @BeforeAll
    void registerModel()
    {
        // the default feature names x_0 .. x_3 of input x, as in Trino's test; a regression model, so that it can be evaluated
        store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.builder().task(ModelTask.REGRESSION).build());
        store.setAlias("linear", "production", 1);
    }

    @AfterAll
    void deleteUploads()
            throws IOException
    {
        deleteRecursively(uploads, ALLOW_INSECURE);
    }

    /**
     * Nothing a hostile input did changed the store, and the session still scores.
     */
    @AfterEach
    void storeUnchangedAndSessionAlive()
            throws IOException
    {
        List<ModelSummary> models = store.listModels();
        assertThat(models).extracting(ModelSummary::name).containsExactly("linear");
        assertThat(models.get(0).versionCount()).isEqualTo(1);
        assertThat(store.aliases("linear")).isEqualTo(Map.of("latest", 1, "production", 1));
        try (Stream<Path> names = Files.list(storeDirectory.resolve("models"))) {
            assertThat(names.map(path -> path.getFileName().toString())).containsExactly("linear");
        }
        assertThat(sql("SELECT predict('linear@production', 1, 2, 3, 4)").get(0).getDouble(0)).isCloseTo(TestModels.linearReference(1, 2, 3, 4), within(1e-5));
    }

    @Test
    void hostileReferencesInFunctions()
    {
        // a long reference is echoed by its start and its length, as a literal or computed
        String longName = "Invalid model reference '" + "a".repeat(160) + "... (100000 characters)': Invalid model name '" + "a".repeat(160) + "... (100000 characters)': " + NAME_RULE;
        assertFails(() -> sql("SELECT predict(repeat('a', 100000), 1, 2, 3, 4)"), INVALID_MODEL_REFERENCE, longName);
        assertFails(() -> sql("SELECT predict('" + "a".repeat(100000) + "', 1, 2, 3, 4)"), INVALID_MODEL_REFERENCE, longName);
        assertFails(() -> sql("SELECT predict_label('linear@' || repeat('x', 10000), 1, 2, 3, 4)"), INVALID_MODEL_REFERENCE,
                "Invalid model reference 'linear@" + "x".repeat(153) + "... (10007 characters)': Invalid alias '" + "x".repeat(160) + "... (10000 characters)': " + ALIAS_RULE);
        // paths are names, never files
        assertFails(() -> sql("SELECT predict('../../etc/passwd', 1, 2, 3, 4)"), INVALID_MODEL_REFERENCE,
                "Invalid model reference '../../etc/passwd': '../etc/passwd' is not a version number; " + REFERENCE_HELP);
        assertFails(() -> sql("SELECT predict_proba('/etc/passwd', 1, 2, 3, 4)"), INVALID_MODEL_REFERENCE,
                "Invalid model reference '/etc/passwd': 'etc/passwd' is not a version number; " + REFERENCE_HELP);
        assertFails(() -> sql("SELECT predict('linear/99999999999999999999', 1, 2, 3, 4)"), INVALID_MODEL_REFERENCE,
                "Invalid model reference 'linear/99999999999999999999': '99999999999999999999' is not a version number; " + REFERENCE_HELP);
        // control characters are shown escaped
        assertFails(() -> sql("SELECT predict(chr(0) || 'linear', 1, 2, 3, 4)"), INVALID_MODEL_REFERENCE,
                "Invalid model reference '\\u0000linear': it holds control characters; " + REFERENCE_HELP);
        assertFails(() -> sql("SELECT predict_vector('lin' || chr(10) || 'ear', 1, 2, 3, 4)"), INVALID_MODEL_REFERENCE,
                "Invalid model reference 'lin\\u000aear': it holds control characters; " + REFERENCE_HELP);
        assertFails(() -> sql("SELECT predict('linear@prod' || chr(7), 1, 2, 3, 4)"), INVALID_MODEL_REFERENCE,
                "Invalid model reference 'linear@prod\\u0007': it holds control characters; " + REFERENCE_HELP);
        // a reference that is not a constant is shown by the start of its SQL
        assertFails(() -> sql("SELECT predict(concat(s, '" + "q".repeat(100000) + "'), 1, 2, 3, 4) FROM (SELECT 'a' AS s)"), INVALID_ARGUMENT,
                "The first argument of predict must be a constant string naming a model ('name', 'name/3' or 'name@alias'), not concat(__auto_generated_subquery_name.s, '" + "q".repeat(118) + "... (100044 characters)");
    }

    @Test
    void hostileReferencesInDataFrames()
    {
        Dataset<Row> rows = spark.sql("SELECT 1e0 AS x_0, 2e0 AS x_1, 3e0 AS x_2, 4e0 AS x_3, 5e0 AS y");
        assertFails(() -> Onyx.predict(rows, "a".repeat(100000)), INVALID_MODEL_REFERENCE,
                "Invalid model reference '" + "a".repeat(160) + "... (100000 characters)': Invalid model name '" + "a".repeat(160) + "... (100000 characters)': " + NAME_RULE);
        assertFails(() -> Onyx.predict(rows, "../../etc/passwd"), INVALID_MODEL_REFERENCE,
                "Invalid model reference '../../etc/passwd': '../etc/passwd' is not a version number; " + REFERENCE_HELP);
        assertFails(() -> Onyx.evaluate(rows, "/etc/passwd", "y"), INVALID_MODEL_REFERENCE,
                "Invalid model reference '/etc/passwd': 'etc/passwd' is not a version number; " + REFERENCE_HELP);
        assertFails(() -> Onyx.evaluate(rows, "linear/99999999999999999999", "y"), INVALID_MODEL_REFERENCE,
                "Invalid model reference 'linear/99999999999999999999': '99999999999999999999' is not a version number; " + REFERENCE_HELP);
        assertFails(() -> Onyx.predict(rows, "\0linear"), INVALID_MODEL_REFERENCE,
                "Invalid model reference '\\u0000linear': it holds control characters; " + REFERENCE_HELP);
        assertFails(() -> Onyx.predict(rows, null), INVALID_MODEL_REFERENCE, "Model reference is empty: " + REFERENCE_HELP);
    }

    @Test
    void hostileNamesInProcedures()
    {
        assertFails(() -> sql("CALL ml.system.register_model(repeat('a', 1000), '" + linearFile + "')"), INVALID_MODEL_NAME,
                "Invalid model name '" + "a".repeat(160) + "... (1000 characters)': " + NAME_RULE);
        // an argument that resolves only after a cast (chr takes a bigint) reaches the procedure like any other
        assertFails(() -> sql("CALL ml.system.register_model('a' || chr(7), '" + linearFile + "')"), INVALID_MODEL_NAME,
                "Invalid model name 'a\\u0007': " + NAME_RULE);
        assertFails(() -> sql("CALL ml.system.register_model(name => 'lin' || chr(10) || 'ear', uri => '" + linearFile + "')"), INVALID_MODEL_NAME,
                "Invalid model name 'lin\\u000aear': " + NAME_RULE);
        assertFails(() -> sql("CALL ml.system.register_model('../../etc/passwd', '" + linearFile + "')"), INVALID_MODEL_NAME,
                "Invalid model name '../../etc/passwd': " + NAME_RULE);
        assertFails(() -> sql("CALL ml.system.register_model('passwd', '/etc/passwd')"), OnyxErrorCode.LOCATION_NOT_ALLOWED,
                "Model location '/etc/passwd' is not in a location models may be registered from: " + uploads + " (spark.onyx.register-model.allowed-locations)");
        assertFails(() -> sql("CALL ml.system.register_model('passwd', '" + uploads + "/../../etc/passwd')"), OnyxErrorCode.LOCATION_NOT_ALLOWED,
                "Model location '" + uploads + "/../../etc/passwd' is not in a location models may be registered from: " + uploads + " (spark.onyx.register-model.allowed-locations)");
        assertFails(() -> sql("CALL ml.system.set_alias('linear', 'prod' || chr(0), 1)"), INVALID_ALIAS, "Invalid alias 'prod\\u0000': " + ALIAS_RULE);
        assertFails(() -> sql("CALL ml.system.set_alias(name => 'linear', alias => repeat('p', 100000), version => 1)"), INVALID_ALIAS,
                "Invalid alias '" + "p".repeat(160) + "... (100000 characters)': " + ALIAS_RULE);
        assertFails(() -> sql("CALL ml.system.drop_alias('linear', chr(0))"), INVALID_ALIAS, "Invalid alias '\\u0000': " + ALIAS_RULE);
        assertFails(() -> sql("CALL ml.system.drop_model('/etc/passwd')"), INVALID_MODEL_NAME, "Invalid model name '/etc/passwd': " + NAME_RULE);
        assertFails(() -> sql("CALL ml.system.drop_model_version(repeat('a', 100000), 1)"), INVALID_MODEL_NAME,
                "Invalid model name '" + "a".repeat(160) + "... (100000 characters)': " + NAME_RULE);
        assertFails(() -> sql("CALL ml.system.evaluate(input => 'SELECT 1e0 AS x_0', model => '../../etc/passwd')"), INVALID_MODEL_REFERENCE,
                "Invalid model reference '../../etc/passwd': '../etc/passwd' is not a version number; " + REFERENCE_HELP);
        // a version beyond bigint fails Spark's cast to the parameter's type, before the procedure runs
        assertThatThrownBy(() -> sql("CALL ml.system.set_alias('linear', 'production', 99999999999999999999)"))
                .isInstanceOf(SparkArithmeticException.class)
                .hasMessageStartingWith("[CAST_OVERFLOW] The value 99999999999999999999BD of the type \"DECIMAL(20,0)\" cannot be cast to \"BIGINT\" due to an overflow.");
        assertThatThrownBy(() -> sql("CALL ml.system.drop_model_version('linear', 99999999999999999999)"))
                .isInstanceOf(SparkArithmeticException.class)
                .hasMessageStartingWith("[CAST_OVERFLOW] The value 99999999999999999999BD");
        assertFails(() -> sql("CALL ml.system.set_alias('linear', 'production', 9223372036854775807)"), INVALID_ARGUMENT,
                "version must be a version number, got 9223372036854775807");
        assertFails(() -> sql("CALL ml.system.drop_model_version('linear', -1)"), INVALID_ARGUMENT, "version must be a version number, got -1");

        // the same as methods
        assertFails(() -> Onyx.registerModel(spark, "a".repeat(100000), linearFile.toString(), RegisterOptions.DEFAULTS), INVALID_MODEL_NAME,
                "Invalid model name '" + "a".repeat(160) + "... (100000 characters)': " + NAME_RULE);
        assertFails(() -> Onyx.setAlias(spark, "linear", "prod\nuction", 1), INVALID_ALIAS, "Invalid alias 'prod\\u000auction': " + ALIAS_RULE);
        assertFails(() -> Onyx.dropModel(spark, "\0"), INVALID_MODEL_NAME, "Invalid model name '\\u0000': " + NAME_RULE);
        assertFails(() -> Onyx.dropModelVersion(spark, "linear", -1, false), INVALID_ARGUMENT, "Invalid version -1 of model 'linear': versions are numbered from 1");
    }

    @Test
    void hostileFeatures()
    {
        assertFails(() -> sql("SELECT predict('linear', array(1e0, 2))"), INVALID_MODEL_INPUT,
                "Model linear/1 input 'x' (float[N,4]) needs 4 values per row, but a row of its array column has 2");
        assertFails(() -> sql("SELECT predict('linear', array(1e0, 2, 3, 4, 5))"), INVALID_MODEL_INPUT,
                "Model linear/1 input 'x' (float[N,4]) needs 4 values per row, but a row of its array column has 5");
        assertFails(() -> sql("SELECT predict('linear', named_struct('x', array(1e0, 2e0)))"), INVALID_MODEL_INPUT,
                "Model linear/1 input 'x' (float[N,4]) needs 4 values per row, but a row of its array column has 2");
        String beyondFloat = "Model linear/1 feature 'x_0' (input 'x', float[N,4]) got 1.0E300, beyond the range of its 32-bit floats (±3.4028235E38)";
        assertFails(() -> sql("SELECT predict('linear', 1e300, 1, 2, 3)"), INVALID_MODEL_INPUT, beyondFloat);
        assertFails(() -> sql("SELECT predict('linear', named_struct('x_0', 1e300, 'x_1', 1, 'x_2', 2, 'x_3', 3))"), INVALID_MODEL_INPUT, beyondFloat);
        // a call in a join condition is scored row by row: the same errors
        assertFails(() -> sql("SELECT count(*) FROM range(3) l JOIN range(3) r ON l.id = r.id AND predict('linear', array(double(l.id), 2e0)) > 0"), INVALID_MODEL_INPUT,
                "Model linear/1 input 'x' (float[N,4]) needs 4 values per row, but a row of its array column has 2");
        assertFails(() -> sql("SELECT count(*) FROM range(3) l JOIN range(3) r ON l.id = r.id AND predict('linear', 1e300, r.id, 2, 3) > 0"), INVALID_MODEL_INPUT, beyondFloat);

        // NaN and infinities are floats: they go through the model as IEEE arithmetic has them (documented)
        Row special = sql("SELECT predict('linear', double('NaN'), 1, 2, 3), predict('linear', double('Infinity'), 1, 2, 3), "
                + "predict('linear', 1, double('-Infinity'), 2, 3), predict('linear', array(float('NaN'), 1, 2, 3))").get(0);
        assertThat(TestModels.linearReference(Double.NaN, 1, 2, 3)).isNaN();
        assertThat(special.getDouble(0)).isNaN();
        assertThat(special.getDouble(1)).isEqualTo(TestModels.linearReference(Double.POSITIVE_INFINITY, 1, 2, 3)).isEqualTo(Double.POSITIVE_INFINITY);
        // -1.25 x -inf
        assertThat(special.getDouble(2)).isEqualTo(TestModels.linearReference(1, Double.NEGATIVE_INFINITY, 2, 3)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(special.getDouble(3)).isNaN();

        // a megabyte of text where the model takes a number: by name the core's message, by position the start of the SQL
        assertFails(() -> sql("SELECT predict('linear', named_struct('x_0', repeat('z', 1000000), 'x_1', 2e0, 'x_2', 3e0, 'x_3', 4e0))"), INVALID_MODEL_INPUT, NOT_A_NUMBER);
        assertFails(() -> sql("SELECT predict('linear', named_struct('x_0', z, 'x_1', 2e0, 'x_2', 3e0, 'x_3', 4e0)) FROM (SELECT repeat('z', 1000000) AS z)"), INVALID_MODEL_INPUT, NOT_A_NUMBER);
        assertFails(() -> sql("SELECT predict('linear', '" + "z".repeat(1000000) + "', 2, 3, 4)"), INVALID_MODEL_INPUT,
                "Feature 1 of predict ('" + "z".repeat(159) + "... (1000002 characters)) has type string; " + PASS_NUMBERS);
        assertFails(() -> sql("SELECT predict_label('linear', repeat('z', 1000000), 2, 3, 4)"), INVALID_MODEL_INPUT,
                "Feature 1 of predict_label (repeat('z', 1000000)) has type string; " + PASS_NUMBERS);

        // a nested struct
        assertFails(() -> sql("SELECT predict('linear', named_struct('x_0', named_struct('v', 1e0), 'x_1', 2e0, 'x_2', 3e0, 'x_3', 4e0))"), INVALID_MODEL_INPUT,
                "Field 'x_0' has type struct<v:double>, " + MODEL_TYPES);
        assertFails(() -> sql("SELECT predict('linear', named_struct('v', 1e0), 2, 3, 4)"), INVALID_MODEL_INPUT,
                "Feature 1 of predict (named_struct('v', 1.0D)) has type struct<v:double>; " + PASS_NUMBERS);
        // long field names, at the top and nested
        assertFails(() -> sql("SELECT predict('linear', named_struct(repeat('n', 100000), 1e0, 'x_1', 2e0, 'x_2', 3e0, 'x_3', 4e0))"), INVALID_MODEL_INPUT,
                "Model linear/1 needs columns named x_0, x_1, x_2, x_3 for input 'x' (float[N,4]), or an array column named 'x'; missing: x_0; the columns are: "
                        + "n".repeat(160) + "... (100000 characters) double, x_1 double, x_2 double, x_3 double");
        assertFails(() -> sql("SELECT predict('linear', named_struct('x_0', named_struct(repeat('n', 100000), 1e0), 'x_1', 2e0, 'x_2', 3e0, 'x_3', 4e0))"), INVALID_MODEL_INPUT,
                "Field 'x_0' has type struct<" + "n".repeat(153) + "... (100015 characters), " + MODEL_TYPES);
        assertFails(() -> sql("SELECT predict('linear', named_struct(repeat('n', 100000), 1e0), 2, 3, 4)"), INVALID_MODEL_INPUT,
                "Feature 1 of predict (named_struct(repeat('n', 100000), 1.0D)) has type struct<" + "n".repeat(153) + "... (100015 characters); " + PASS_NUMBERS);
    }

    @Test
    void sparkTypes()
    {
        // NULL structs, arrays, fields and elements, and a bare NULL, are missing values: NULL out
        Row nulls = sql("SELECT predict('linear', CAST(NULL AS STRUCT<x_0: DOUBLE, x_1: DOUBLE, x_2: DOUBLE, x_3: DOUBLE>)), "
                + "predict('linear', CAST(NULL AS ARRAY<DOUBLE>)), "
                + "predict('linear', named_struct('x_0', CAST(NULL AS DOUBLE), 'x_1', 2e0, 'x_2', 3e0, 'x_3', 4e0)), "
                + "predict('linear', named_struct('x_0', NULL, 'x_1', 2e0, 'x_2', 3e0, 'x_3', 4e0)), "
                + "predict('linear', array(1e0, NULL, 3e0, 4e0)), "
                + "predict('linear', array(NULL, NULL, NULL, NULL)), "
                + "predict('linear', NULL, 1, 2, 3)").get(0);
        for (int i = 0; i < nulls.length(); i++) {
            assertThat(nulls.isNullAt(i)).as("column %s", i).isTrue();
        }
        // empty arrays
        String empty = "Model linear/1 input 'x' (float[N,4]) needs 4 values per row, but a row of its array column has 0";
        assertFails(() -> sql("SELECT predict('linear', array())"), INVALID_MODEL_INPUT, empty);
        assertFails(() -> sql("SELECT predict('linear', CAST(array() AS ARRAY<DOUBLE>))"), INVALID_MODEL_INPUT, empty);
        assertFails(() -> sql("SELECT predict('linear', named_struct('x', array()))"), INVALID_MODEL_INPUT, empty);
        // maps, binary, arrays of arrays and of strings take no part
        assertFails(() -> sql("SELECT predict('linear', map('x_0', 1e0, 'x_1', 2e0, 'x_2', 3e0, 'x_3', 4e0))"), INVALID_MODEL_INPUT,
                "Feature 1 of predict (map('x_0', 1.0D, 'x_1', 2.0D, 'x_2', 3.0D, 'x_3', 4.0D)) has type map<string,double>; " + PASS_NUMBERS);
        assertFails(() -> sql("SELECT predict('linear', named_struct('x_0', map('a', 1e0), 'x_1', 2e0, 'x_2', 3e0, 'x_3', 4e0))"), INVALID_MODEL_INPUT,
                "Field 'x_0' has type map<string,double>, " + MODEL_TYPES);
        assertFails(() -> sql("SELECT predict('linear', X'01', 2, 3, 4)"), INVALID_MODEL_INPUT, "Feature 1 of predict (X'01') has type binary; " + PASS_NUMBERS);
        assertFails(() -> sql("SELECT predict('linear', array(array(1e0), array(2e0)))"), INVALID_MODEL_INPUT,
                "Feature 1 of predict (array(array(1.0D), array(2.0D))) has type array<array<double>>; " + PASS_NUMBERS);
        assertFails(() -> sql("SELECT predict('linear', array('1', '2', '3', '4'))"), INVALID_MODEL_INPUT,
                "Feature 1 of predict (array('1', '2', '3', '4')) has type array<string>; " + PASS_NUMBERS);
        // a struct's field names may repeat in Spark: either could be meant
        assertFails(() -> sql("SELECT predict('linear', named_struct('x_0', 1e0, 'X_0', 2e0, 'x_2', 3e0, 'x_3', 4e0))"), INVALID_MODEL_INPUT,
                "Model linear/1 feature 'x_0' matches several columns when case is ignored: 'x_0', 'X_0'; keep one of them or rename the others in the input query");
    }

    @Test
    void hostileDataFrames()
    {
        assertFails(() -> Onyx.predict(spark.sql("SELECT repeat('z', 1000000) AS x_0, 2e0 AS x_1, 3e0 AS x_2, 4e0 AS x_3"), "linear"), INVALID_MODEL_INPUT, NOT_A_NUMBER);
        String nested = "Column 'x_0' has type struct<v:double>, " + MODEL_TYPES;
        assertFails(() -> Onyx.predict(spark.sql("SELECT named_struct('v', 1e0) AS x_0, 2e0 AS x_1, 3e0 AS x_2, 4e0 AS x_3"), "linear"), INVALID_MODEL_INPUT, nested);
        assertFails(() -> Onyx.predict(spark.sql("SELECT CAST(NULL AS STRUCT<v: DOUBLE>) AS x_0, 2e0 AS x_1, 3e0 AS x_2, 4e0 AS x_3"), "linear"), INVALID_MODEL_INPUT, nested);
        assertFails(() -> Onyx.predict(spark.sql("SELECT map('v', 1e0) AS X_0, 2e0 AS x_1, 3e0 AS x_2, 4e0 AS x_3"), "linear"), INVALID_MODEL_INPUT,
                "Column 'X_0' has type map<string,double>, " + MODEL_TYPES);
        assertFails(() -> Onyx.predict(spark.sql("SELECT 1e300 AS x_0, 2e0 AS x_1, 3e0 AS x_2, 4e0 AS x_3"), "linear").collectAsList(), INVALID_MODEL_INPUT,
                "Model linear/1 feature 'x_0' (input 'x', float[N,4]) got 1.0E300, beyond the range of its 32-bit floats (±3.4028235E38)");
        assertFails(() -> Onyx.predict(spark.sql("SELECT array(1e0, 2e0) AS x"), "linear").collectAsList(), INVALID_MODEL_INPUT,
                "Model linear/1 input 'x' (float[N,4]) needs 4 values per row, but a row of its array column has 2");
        assertFails(() -> Onyx.predict(spark.sql("SELECT 1e0 AS `" + "n".repeat(100000) + "`"), "linear"), INVALID_MODEL_INPUT,
                "Model linear/1 needs columns named x_0, x_1, x_2, x_3 for input 'x' (float[N,4]), or an array column named 'x'; missing: x_0, x_1, x_2, x_3; the columns are: "
                        + "n".repeat(160) + "... (100000 characters) double");
        List<Row> special = Onyx.predict(spark.sql("SELECT double('NaN') AS x_0, 2e0 AS x_1, 3e0 AS x_2, 4e0 AS x_3 UNION ALL SELECT double('Infinity'), 2e0, 3e0, 4e0"), "linear").collectAsList();
        assertThat(special.get(0).getDouble(4)).isNaN();
        assertThat(special.get(1).getDouble(4)).isEqualTo(TestModels.linearReference(Double.POSITIVE_INFINITY, 2, 3, 4)).isEqualTo(Double.POSITIVE_INFINITY);

        // evaluate: the core's error comes back unwrapped
        assertThatThrownBy(() -> Onyx.evaluate(spark.sql("SELECT 1e300 AS x_0, 2e0 AS x_1, 3e0 AS x_2, 4e0 AS x_3, 1e0 AS y"), "linear", "y"))
                .isInstanceOf(OnyxException.class)
                .hasMessage("Model linear/1 feature 'x_0' (input 'x', float[N,4]) got 1.0E300, beyond the range of its 32-bit floats (±3.4028235E38)");
        assertFails(() -> Onyx.evaluate(spark.sql("SELECT named_struct('v', 1e0) AS x_0, 2e0 AS x_1, 3e0 AS x_2, 4e0 AS x_3, 1e0 AS y"), "linear", "y"), INVALID_MODEL_INPUT, nested);
        assertFails(() -> Onyx.evaluate(spark.sql("SELECT 1e0 AS x_0, 2e0 AS x_1, 3e0 AS x_2, 4e0 AS x_3, repeat('y', 1000000) AS y"), "linear", "y"), INVALID_ARGUMENT,
                "Model linear/1 is a regression model: its label must be a number, not varchar");
        assertFails(() -> Onyx.evaluate(spark.sql("SELECT 1e0 AS x_0, 2e0 AS x_1, 3e0 AS x_2, 4e0 AS x_3, 5e0 AS y"), "linear", "y".repeat(100000)), INVALID_ARGUMENT,
                "The label column '" + "y".repeat(160) + "... (100000 characters)' is not a column of the DataFrame; its columns are: x_0, x_1, x_2, x_3, y");
        // NaN and infinities in the features or the label make the metrics NaN or infinite (documented); 1e300 as a label is a double
        double prediction = TestModels.linearReference(1, 2, 3, 4);
        assertThat(metrics("SELECT double('NaN') AS x_0, 2e0 AS x_1, 3e0 AS x_2, 4e0 AS x_3, 1e0 AS y")).containsOnly(Map.entry("rmse", Double.NaN), Map.entry("mae", Double.NaN));
        assertThat(metrics("SELECT double('Infinity') AS x_0, 2e0 AS x_1, 3e0 AS x_2, 4e0 AS x_3, 1e0 AS y"))
                .containsOnly(Map.entry("rmse", Double.POSITIVE_INFINITY), Map.entry("mae", Double.POSITIVE_INFINITY));
        assertThat(metrics("SELECT 1e0 AS x_0, 2e0 AS x_1, 3e0 AS x_2, 4e0 AS x_3, double('NaN') AS y")).containsOnly(Map.entry("rmse", Double.NaN), Map.entry("mae", Double.NaN));
        // (1e300 - 10)² overflows: the rmse is infinite, the mae not
        assertThat(metrics("SELECT 1e0 AS x_0, 2e0 AS x_1, 3e0 AS x_2, 4e0 AS x_3, 1e300 AS y"))
                .containsOnly(Map.entry("rmse", Double.POSITIVE_INFINITY), Map.entry("mae", 1e300 - prediction));
    }

    private Map<String, Double> metrics(String query)
    {
        return Onyx.evaluate(spark.sql(query), "linear", "y").collectAsList().get(0).getJavaMap(1);
    }

    private List<Row> sql(String query)
    {
        return spark.sql(query).collectAsList();
    }

    /**
     * The call fails with the core's error (Spark wraps an error raised in a task in its job failure: the core's is
     * among the causes), and what Spark shows holds no long echo of the input.
     */
    private static void assertFails(ThrowingCallable call, OnyxErrorCode code, String message)
    {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("an error").isNotNull();
        OnyxException error = Throwables.getCausalChain(thrown).stream()
                .filter(OnyxException.class::isInstance)
                .map(OnyxException.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("not an Onyx error: " + thrown, thrown));
        assertThat(error).hasMessage(message);
        assertThat(error.errorCode()).isEqualTo(code);
        assertThat(thrown.getMessage()).hasSizeLessThan(10_000);
    }
}
