package io.onyxml.store;

import com.google.common.collect.ImmutableMap;
import io.onyxml.store.testing.Fuzzing;
import io.onyxml.store.testing.HostileModels;
import io.onyxml.store.testing.ModelMutator;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutants of valid ONNX files registered into a local store, for the share of {@code onyx.fuzz.seconds} given below:
 * each is registered, with a manifest that reads back as written, or refused with an {@link OnyxException}; no other
 * exception escapes the inspector, the feature naming or the manifest codec.
 */
class TestFuzzedModelFiles
{
    /**
     * Valid files of every shape the tests use: tensors, tree ensembles, classifiers with ZipMap, several inputs of
     * several types, subgraphs.
     */
    static final Map<String, byte[]> MODELS = ImmutableMap.<String, byte[]>builder()
            .put("linear", TestModels.linearRegression())
            .put("mlp", TestModels.mlp(4, 8, 2, 1).bytes())
            .put("trees", TestModels.treeEnsemble())
            .put("classifier", TestModels.classifier())
            .put("two_inputs", TestModels.twoInputs())
            .put("double_linear", TestModels.doubleLinear())
            .put("mixed", TestModels.mixedColumns())
            .put("nested", HostileModels.nested(2, List.of("Loop", "If", "Loop")))
            .put("side_by_side", HostileModels.sideBySide(3))
            .buildOrThrow();

    @TempDir
    Path temporary;
    private ModelStore store;

    @BeforeEach
    void openStore()
    {
        store = ModelStore.open(ModelStoreConfig.local(temporary.resolve("store")));
    }

    @AfterEach
    void closeStore()
    {
        store.close();
    }

    @Test
    void mutantsRegisterOrAreRefusedWithOnyxErrors()
    {
        List<String> names = List.copyOf(MODELS.keySet());
        Fuzzing.Summary summary = Fuzzing.run("model files", 0.25, random -> {
            String original = names.get(random.nextInt(names.size()));
            ModelMutator.Mutant mutant = new ModelMutator(random).mutate(MODELS.get(original));
            String name = "m" + Long.toHexString(random.nextLong() >>> 1);
            try {
                ModelManifest manifest = store.register(name, ModelSource.of(mutant.bytes()), RegisterOptions.DEFAULTS);
                assertThat(store.manifest(name, manifest.version())).as("the manifest read back").isEqualTo(manifest);
                assertThat(ManifestCodec.fromJson(ManifestCodec.toJson(manifest), name)).isEqualTo(manifest);
                return "registered";
            }
            catch (OnyxException e) {
                // a registration refuses a file; it never writes a manifest that cannot be read back
                assertThat(e.errorCode()).as("%s of a mutant of %s: %s", e, original, mutant).isNotEqualTo(OnyxErrorCode.MANIFEST_CORRUPT);
                return e.errorCode().name();
            }
            catch (RuntimeException | Error e) {
                throw new AssertionError("mutant of " + original + ": " + mutant, e);
            }
        });
        assertThat(summary.iterations()).isPositive();
    }

    /**
     * The same mutants are drawn from the same seed.
     */
    @Test
    void mutantsAreReproducible()
    {
        byte[] original = TestModels.classifier();
        int changed = 0;
        for (long iteration = 0; iteration < 20; iteration++) {
            ModelMutator.Mutant first = new ModelMutator(Fuzzing.random(7, iteration)).mutate(original);
            ModelMutator.Mutant second = new ModelMutator(Fuzzing.random(7, iteration)).mutate(original);
            assertThat(first.bytes()).isEqualTo(second.bytes());
            assertThat(first.steps()).isEqualTo(second.steps());
            changed += Arrays.equals(first.bytes(), original) ? 0 : 1;
        }
        // a field may be set to the value it had
        assertThat(changed).isGreaterThan(15);
    }
}
