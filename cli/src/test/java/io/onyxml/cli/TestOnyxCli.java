package io.onyxml.cli;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;

import static com.google.common.collect.MoreCollectors.onlyElement;
import static io.onyxml.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TestOnyxCli
{
    private static final Path PROJECT_ROOT = projectRoot();

    @TempDir
    Path directory;

    @Test
    void theCommittedExampleModelIsTheOneTheBuilderMakes()
            throws Exception
    {
        assertThat(Files.readAllBytes(PROJECT_ROOT.resolve(ExampleModels.HOUSE_PRICES))).isEqualTo(ExampleModels.housePrices());
    }

    @Test
    void registersAndScoresTheExampleCsv()
            throws Exception
    {
        String store = directory.resolve("store").toString();
        CliRun registered = run("--store", store, "register", "house-prices", PROJECT_ROOT.resolve(ExampleModels.HOUSE_PRICES).toString(), "--description", "house prices in thousands", "--task", "regression", "--alias", "production");
        assertThat(registered.status()).isZero();
        assertThat(registered.out()).contains("registered house-prices/1", "features: area_m2, bedrooms, age_years, distance_km", "alias:    house-prices@production");

        Path output = directory.resolve("scored.csv");
        CliRun scored = run("--store", store, "--device", "cpu", "score", "house-prices@production", PROJECT_ROOT.resolve("examples/house-prices/houses.csv").toString(), "--output", output.toString());
        assertThat(scored.status()).as(scored.err()).isZero();
        assertThat(scored.out()).contains("scored 6 rows with house-prices/1 on cpu");

        List<List<String>> rows = readCsv(output);
        assertThat(rows.get(0)).containsExactly("id", "area_m2", "bedrooms", "age_years", "distance_km", "city", "price_k");
        assertThat(rows).hasSize(7);
        for (List<String> row : rows.subList(1, rows.size())) {
            if (row.get(3).isEmpty()) {
                // a missing feature gives no prediction
                assertThat(row.get(6)).isEmpty();
                continue;
            }
            double expected = ExampleModels.housePrice(Double.parseDouble(row.get(1)), Double.parseDouble(row.get(2)), Double.parseDouble(row.get(3)), Double.parseDouble(row.get(4)));
            assertThat(Double.parseDouble(row.get(6))).isCloseTo(expected, within(1e-3));
        }
        assertThat(rows.get(5).get(0)).isEqualTo("5");
    }

    @Test
    void managesVersionsAndAliases()
    {
        String store = directory.resolve("store").toString();
        String model = PROJECT_ROOT.resolve(ExampleModels.HOUSE_PRICES).toString();
        assertThat(run("--store", store, "register", "houses", model).status()).isZero();
        assertThat(run("--store", store, "register", "houses", model).status()).isZero();
        assertThat(run("--store", store, "alias", "houses", "production", "1").out()).contains("houses@production -> version 1");

        CliRun list = run("--store", store, "list");
        assertThat(list.out()).contains("houses").contains("production=1");
        assertThat(run("--store", store, "versions", "houses").out()).contains("houses/1").contains("houses/2");
        assertThat(run("--store", store, "show", "houses@production").out()).contains("\"version\" : 1", "\"feature_names\" : [ \"area_m2\"", "\"registered_by\" : \"" + System.getProperty("user.name") + "\"");

        CliRun refused = run("--store", store, "delete", "houses", "1");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("onyx: Version 1 of model 'houses' is used by alias production");
        assertThat(run("--store", store, "delete", "houses", "1", "--force").status()).isZero();
        assertThat(run("--store", store, "delete", "houses").out()).contains("deleted model houses");
    }

    @Test
    void listsAndRemovesOrphanFilesAsTheTrinoProcedureDoes()
            throws Exception
    {
        Path store = directory.resolve("store");
        String model = PROJECT_ROOT.resolve(ExampleModels.HOUSE_PRICES).toString();
        assertThat(run("--store", store.toString(), "register", "houses", model).status()).isZero();
        Path live;
        try (Stream<Path> files = Files.list(store.resolve("models/houses/files"))) {
            live = files.collect(onlyElement());
        }
        // what a registration killed between its upload and its manifest leaves, two days ago and a minute ago
        Path old = Files.write(store.resolve("models/houses/files/0000-unfinished.onnx"), ExampleModels.housePrices());
        Path young = Files.write(store.resolve("models/houses/files/0001-being-registered.onnx"), ExampleModels.housePrices());
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        Files.setLastModifiedTime(young, FileTime.from(Instant.now().minus(Duration.ofMinutes(1))));
        // the live file is as old: what keeps it is its manifest, not its age
        Files.setLastModifiedTime(live, FileTime.from(Instant.now().minus(Duration.ofDays(2))));

        CliRun listed = run("--store", store.toString(), "orphans");
        assertThat(listed.status()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("models/houses/files/0000-unfinished.onnx", "no version names it", "1 files, " + ExampleModels.housePrices().length + " bytes, older than 1h");
        assertThat(run("--store", store.toString(), "orphans", "--older-than", "30s").out()).contains("models/houses/files/0001-being-registered.onnx", "2 files");

        CliRun tooYoung = run("--store", store.toString(), "remove-orphans", "--older-than", "10m");
        assertThat(tooYoung.status()).isEqualTo(1);
        assertThat(tooYoung.err()).isEqualTo("onyx: Orphan files must be older than 1h before they are removed, so that registrations still running keep their files; got 10m\n");
        CliRun notADuration = run("--store", store.toString(), "remove-orphans", "--older-than", "a while");
        assertThat(notADuration.status()).isEqualTo(2);
        assertThat(notADuration.err()).startsWith("onyx: --older-than must be a duration such as '36h' or '7d', got 'a while'");
        assertThat(run("--store", store.toString(), "remove-orphans", "--older-than", "3d").out()).isEqualTo("removed 0 files, 0 bytes, older than 3d\n");
        assertThat(old).exists();

        Instant oldChanged = Files.getLastModifiedTime(old).toInstant().truncatedTo(ChronoUnit.SECONDS);
        CliRun removed = run("--store", store.toString(), "remove-orphans");
        assertThat(removed.status()).as(removed.err()).isZero();
        assertThat(removed.out().lines()).containsExactly(
                "removed models/houses/files/0000-unfinished.onnx (" + ExampleModels.housePrices().length + " bytes, last changed " + oldChanged + "): no version names it",
                "removed 1 files, " + ExampleModels.housePrices().length + " bytes, older than 1d");
        assertThat(old).doesNotExist();
        assertThat(young).exists();
        assertThat(live).exists();
        assertThat(run("--store", store.toString(), "show", "houses").out()).contains("\"version\" : 1");
    }

    @Test
    void readsDurationsAsTrinoDoes()
    {
        assertThat(OnyxCli.duration("36h")).isEqualTo(Duration.ofHours(36));
        assertThat(OnyxCli.duration(" 7d ")).isEqualTo(Duration.ofDays(7));
        assertThat(OnyxCli.duration("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(OnyxCli.duration("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(OnyxCli.duration("2500ms")).isEqualTo(Duration.ofMillis(2500));
        for (String invalid : List.of("", "h", "1 hour", "-1h", "1H", "1e3s", "99999999999999999d")) {
            assertThatThrownBy(() -> OnyxCli.duration(invalid))
                    .hasMessage("--older-than must be a duration such as '36h' or '7d', got '" + invalid + "'");
        }
    }

    @Test
    void reportsErrorsAndUsage()
    {
        CliRun unknown = run("--store", directory.toString(), "score", "nope", PROJECT_ROOT.resolve("examples/house-prices/houses.csv").toString());
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("onyx: Model 'nope' does not exist");

        CliRun usage = run("frobnicate");
        assertThat(usage.status()).isEqualTo(2);
        assertThat(usage.err()).contains("onyx: unknown command 'frobnicate'", "usage: onyx");
        assertThat(run("--help").out()).contains("score <model> <input.csv>", "orphans [--older-than 1h]", "remove-orphans [--older-than 1d]");
    }

    private static List<List<String>> readCsv(Path file)
            throws Exception
    {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        try (MappingIterator<List<String>> rows = mapper.readerForListOf(String.class).readValues(file.toFile())) {
            return rows.readAll();
        }
    }

    private static Path projectRoot()
    {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null && !Files.isDirectory(directory.resolve("examples"))) {
            directory = directory.getParent();
        }
        if (directory == null) {
            throw new IllegalStateException("the tests run inside the project");
        }
        return directory;
    }
}
