package io.onyxml.cli;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import io.onyxml.inference.BindingMode;
import io.onyxml.inference.DeviceSpec;
import io.onyxml.inference.InferenceConfig;
import io.onyxml.inference.InferenceEngine;
import io.onyxml.store.ManifestCodec;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelStoreConfig;
import io.onyxml.store.ModelSummary;
import io.onyxml.store.ModelTask;
import io.onyxml.store.OnyxException;
import io.onyxml.store.OrphanFile;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.S3Options;
import io.onyxml.training.trees.XGBoostModelConverter;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static java.lang.String.format;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.stream.Collectors.joining;

/**
 * A small command line over the model store and the inference core: register ONNX files, list and manage versions
 * and aliases, and score CSV files. It is the quickest way to try Onyx without an engine; the Trino plugin and the
 * Spark jar do the same from SQL.
 */
public final class OnyxCli
{
    static final String DEFAULT_STORE = "var/models";
    private static final Set<String> FLAGS = ImmutableSet.of("by-position", "force", "handles-missing-values", "s3-path-style", "help");
    // as ml.system.orphan_files lists and ml.system.remove_orphan_files removes
    private static final String DEFAULT_ORPHANS_LISTED = "1h";
    private static final String DEFAULT_ORPHANS_REMOVED = "1d";
    // Trino's (airlift's) duration syntax, as remove_orphan_files takes it
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-z]+)");
    private static final Map<String, Long> NANOS_PER_UNIT = ImmutableMap.of(
            "ns", 1L,
            "us", 1_000L,
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L,
            "d", 86_400_000_000_000L);

    private static final String USAGE = """
            usage: onyx [options] <command> [arguments]

            commands:
              register <name> <onnx file or s3:// uri> [--description text] [--task regression|classification|clustering|embedding|other]
                       [--features a,b,c] [--labels x,y] [--handles-missing-values] [--alias name]
              score <model> <input.csv> [--output out.csv] [--by-position] [--batch-size 4096]
              list
              versions <name>
              show <model>
              alias <name> <alias> <version>
              unalias <name> <alias>
              delete <name> [<version>] [--force]
              orphans [--older-than 1h]
              remove-orphans [--older-than 1d]

            A model is 'name' (latest version), 'name/3' or 'name@alias'.
            Orphans are files no version needs, left by a registration or deletion that did not finish (a killed process).
            remove-orphans deletes those older than --older-than ('36h', '7d'), which must be at least 1h so that
            registrations running now keep their files.

            options:
              --store <location>      a directory or s3://bucket/prefix (default: $ONYX_STORE, else var/models)
              --device <device>       auto, cpu, cuda or cuda:N (default: auto)
              --s3-endpoint <url>     an S3-compatible endpoint, e.g. http://127.0.0.1:9000
              --s3-region <region>    --s3-path-style    --s3-access-key <key>    --s3-secret-key <secret>
                                      (without keys the AWS default credential chain is used)
            """;

    private final PrintStream out;

    OnyxCli(PrintStream out)
    {
        this.out = out;
    }

    public static void main(String[] args)
    {
        System.exit(new OnyxCli(System.out).run(args, System.err));
    }

    int run(String[] args, PrintStream err)
    {
        try {
            Arguments arguments = new Arguments(args, FLAGS);
            if (arguments.flag("help") || arguments.positional().isEmpty()) {
                out.print(USAGE);
                return arguments.flag("help") ? 0 : 2;
            }
            try (ModelStore store = ModelStore.open(storeConfig(arguments))) {
                execute(store, arguments);
            }
            return 0;
        }
        catch (Arguments.UsageException e) {
            err.println("onyx: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        catch (OnyxException e) {
            err.println("onyx: " + e.getMessage());
            return 1;
        }
        catch (IOException | UncheckedIOException e) {
            err.println("onyx: " + e.getMessage());
            return 1;
        }
    }

    private void execute(ModelStore store, Arguments arguments)
            throws IOException
    {
        String command = arguments.positional(0, "command");
        switch (command) {
            case "register" -> register(store, arguments);
            case "score" -> score(store, arguments);
            case "list" -> list(store);
            case "versions" -> versions(store, arguments.positional(1, "model name"));
            case "show" -> out.println(new String(ManifestCodec.toJson(store.resolve(arguments.positional(1, "model"))), UTF_8));
            case "alias" -> {
                store.setAlias(arguments.positional(1, "model name"), arguments.positional(2, "alias"), version(arguments.positional(3, "version")));
                out.println(format("%s@%s -> version %s", arguments.positional(1, "model name"), arguments.positional(2, "alias"), arguments.positional(3, "version")));
            }
            case "unalias" -> store.removeAlias(arguments.positional(1, "model name"), arguments.positional(2, "alias"));
            case "delete" -> delete(store, arguments);
            case "orphans" -> orphans(store, arguments.option("older-than").orElse(DEFAULT_ORPHANS_LISTED));
            case "remove-orphans" -> removeOrphans(store, arguments.option("older-than").orElse(DEFAULT_ORPHANS_REMOVED));
            default -> throw new Arguments.UsageException("unknown command '" + command + "'");
        }
    }

    private void register(ModelStore store, Arguments arguments)
    {
        String name = arguments.positional(1, "model name");
        String location = arguments.positional(2, "ONNX file or URI");
        RegisterOptions.Builder options = RegisterOptions.builder();
        arguments.option("description").ifPresent(options::description);
        arguments.option("task").ifPresent(task -> options.task(ModelTask.fromDisplayName(task)
                .orElseThrow(() -> new Arguments.UsageException("unknown task '" + task + "'"))));
        arguments.option("features").ifPresent(features -> options.featureNames(split(features)));
        arguments.option("labels").ifPresent(labels -> options.classLabels(split(labels)));
        options.handlesMissingValues(arguments.flag("handles-missing-values"));
        ModelManifest manifest;
        try (InferenceEngine engine = new InferenceEngine(store, InferenceConfig.DEFAULTS.withDevice(DeviceSpec.CPU))) {
            manifest = store.register(name, ModelSource.parse(location), options.build().withRegisteredBy(System.getProperty("user.name")), engine.validator(), new XGBoostModelConverter());
        }
        out.println(format("registered %s (sha256 %s, %s bytes)", manifest.reference(), manifest.sha256(), manifest.sizeBytes()));
        out.println(format("  inputs:   %s", manifest.signature().inputs().stream().map(Object::toString).collect(joining(", "))));
        out.println(format("  outputs:  %s", manifest.signature().outputs().stream().map(Object::toString).collect(joining(", "))));
        out.println(format("  features: %s", String.join(", ", manifest.featureNames())));
        out.println(format("  task:     %s", manifest.task().displayName()));
        Optional<String> alias = arguments.option("alias");
        if (alias.isPresent()) {
            store.setAlias(name, alias.get(), manifest.version());
            out.println(format("  alias:    %s@%s", name, alias.get()));
        }
    }

    private void score(ModelStore store, Arguments arguments)
            throws IOException
    {
        ModelManifest manifest = store.resolve(arguments.positional(1, "model"));
        Path input = Path.of(arguments.positional(2, "input CSV file"));
        if (!Files.isRegularFile(input)) {
            throw new OnyxException(INVALID_ARGUMENT, "Input file " + input + " does not exist");
        }
        int batchSize = arguments.option("batch-size").map(OnyxCli::positiveInteger).orElse(4096);
        BindingMode mode = arguments.flag("by-position") ? BindingMode.BY_POSITION : BindingMode.BY_NAME;
        DeviceSpec device = DeviceSpec.parse(arguments.option("device").orElse("auto"));
        Optional<String> output = arguments.option("output");
        try (InferenceEngine engine = new InferenceEngine(store, InferenceConfig.DEFAULTS.withDevice(device).withIntraOpThreads(0));
                Reader reader = Files.newBufferedReader(input, UTF_8)) {
            Writer writer = output.isPresent() ? Files.newBufferedWriter(Path.of(output.get()), UTF_8) : new OutputStreamWriter(out, UTF_8);
            long rows;
            try {
                rows = new CsvScorer(engine, batchSize).score(manifest, reader, writer, mode);
            }
            finally {
                // standard output stays open
                if (output.isPresent()) {
                    writer.close();
                }
                else {
                    writer.flush();
                }
            }
            if (output.isPresent()) {
                String where = engine.loadedModels().stream().findFirst().map(model -> model.device().toString()).orElse("no device (every row had a NULL feature)");
                out.println(format("scored %s rows with %s on %s into %s", rows, manifest.reference(), where, output.get()));
            }
        }
    }

    private void list(ModelStore store)
    {
        List<ModelSummary> models = store.listModels();
        out.println(format("%-24s %7s %-15s %-24s %s", "model", "latest", "task", "aliases", "description"));
        for (ModelSummary model : models) {
            String aliases = model.aliases().entrySet().stream()
                    .filter(alias -> !alias.getKey().equals("latest"))
                    .map(alias -> alias.getKey() + "=" + alias.getValue())
                    .collect(joining(","));
            out.println(format("%-24s %7s %-15s %-24s %s", model.name(), model.latestVersion(), model.task().displayName(), aliases, model.description().orElse("")));
        }
    }

    private void versions(ModelStore store, String name)
    {
        Map<String, Integer> aliases = store.aliases(name);
        for (ModelManifest manifest : store.listVersions(name)) {
            String pointing = aliases.entrySet().stream().filter(alias -> alias.getValue() == manifest.version()).map(Map.Entry::getKey).collect(joining(","));
            out.println(format("%s  %s  %s  %s  %s bytes  %s", manifest.reference(), manifest.createdAt(), manifest.registeredBy().orElse("-"), manifest.sha256(), manifest.sizeBytes(), pointing));
        }
    }

    private void delete(ModelStore store, Arguments arguments)
    {
        String name = arguments.positional(1, "model name");
        if (arguments.positional().size() > 2) {
            store.deleteVersion(name, version(arguments.positional(2, "version")), arguments.flag("force"));
            out.println("deleted " + name + "/" + arguments.positional(2, "version"));
            return;
        }
        store.deleteModel(name);
        out.println("deleted model " + name);
    }

    /**
     * What {@code ml.system.orphan_files} shows: the files no existing version needs, last changed before the margin.
     */
    private void orphans(ModelStore store, String olderThan)
    {
        List<OrphanFile> orphans = store.orphanFiles(Instant.now().minus(duration(olderThan)));
        out.println(format("%-24s %12s  %-24s  %-38s %s", "model", "bytes", "last changed", "reason", "key"));
        for (OrphanFile orphan : orphans) {
            out.println(format("%-24s %12s  %-24s  %-38s %s", orphan.model(), orphan.sizeBytes(), orphan.lastModified().truncatedTo(ChronoUnit.SECONDS), orphan.reason(), orphan.key()));
        }
        out.println(format("%s files, %s bytes, older than %s", orphans.size(), orphans.stream().mapToLong(OrphanFile::sizeBytes).sum(), olderThan.strip()));
    }

    /**
     * What {@code CALL ml.system.remove_orphan_files(older_than => ...)} does, through the same store method: the
     * store refuses a margin under {@link ModelStore#MIN_ORPHAN_AGE}.
     */
    private void removeOrphans(ModelStore store, String olderThan)
    {
        List<OrphanFile> removed = store.removeOrphanFiles(duration(olderThan));
        for (OrphanFile file : removed) {
            out.println(format("removed %s (%s bytes, last changed %s): %s", file.key(), file.sizeBytes(), file.lastModified().truncatedTo(ChronoUnit.SECONDS), file.reason()));
        }
        out.println(format("removed %s files, %s bytes, older than %s", removed.size(), removed.stream().mapToLong(OrphanFile::sizeBytes).sum(), olderThan.strip()));
    }

    static ModelStoreConfig storeConfig(Arguments arguments)
    {
        String location = arguments.option("store").orElseGet(() -> Optional.ofNullable(System.getenv("ONYX_STORE")).orElse(DEFAULT_STORE));
        S3Options s3 = S3Options.DEFAULTS.withPathStyleAccess(arguments.flag("s3-path-style"));
        s3 = arguments.option("s3-endpoint").map(s3::withEndpoint).orElse(s3);
        s3 = arguments.option("s3-region").map(s3::withRegion).orElse(s3);
        if (arguments.option("s3-access-key").isPresent() || arguments.option("s3-secret-key").isPresent()) {
            s3 = s3.withCredentials(
                    arguments.option("s3-access-key").orElseThrow(() -> new Arguments.UsageException("--s3-secret-key needs --s3-access-key")),
                    arguments.option("s3-secret-key").orElseThrow(() -> new Arguments.UsageException("--s3-access-key needs --s3-secret-key")));
        }
        // a store the CLI shares with engines: its changes take effect after the same delay as theirs
        return ModelStoreConfig.of(location, s3).withChangeDelay(ModelStoreConfig.DEFAULT_CHANGE_DELAY);
    }

    private static List<String> split(String list)
    {
        return Arrays.stream(list.split(",")).map(String::strip).filter(value -> !value.isEmpty()).toList();
    }

    /**
     * A duration as Trino's configuration writes it ({@code '36h'}, {@code '7d'}, {@code '1.5h'}), to the millisecond.
     */
    static Duration duration(String text)
    {
        Matcher matcher = DURATION.matcher(text.strip());
        if (matcher.matches() && NANOS_PER_UNIT.containsKey(matcher.group(2))) {
            try {
                long nanos = new BigDecimal(matcher.group(1))
                        .multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(matcher.group(2))))
                        .setScale(0, RoundingMode.DOWN)
                        .longValueExact();
                return Duration.ofNanos(nanos).truncatedTo(ChronoUnit.MILLIS);
            }
            catch (ArithmeticException ignored) {
                // too long: reported below
            }
        }
        throw new Arguments.UsageException(format("--older-than must be a duration such as '36h' or '7d', got '%s'", text));
    }

    private static int version(String text)
    {
        return positiveInteger(text);
    }

    private static int positiveInteger(String text)
    {
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        }
        catch (NumberFormatException ignored) {
            // reported below
        }
        throw new Arguments.UsageException("'" + text + "' is not a positive number");
    }
}
