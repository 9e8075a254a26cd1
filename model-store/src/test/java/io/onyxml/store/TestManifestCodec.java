package io.onyxml.store;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static io.onyxml.store.ElementType.FLOAT;
import static io.onyxml.store.ElementType.STRING;
import static io.onyxml.store.OnyxErrorCode.MANIFEST_CORRUPT;
import static io.onyxml.store.ValueSpec.DYNAMIC;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestManifestCodec
{
    private static final ModelManifest MANIFEST = new ModelManifest(
            "iris",
            3,
            Instant.parse("2026-11-27T10:15:30.123Z"),
            "files/1b4e28ba-2fa1-11d2-883f-0016d3cca427.onnx",
            "a".repeat(64),
            1234,
            new OnnxInfo(8, ImmutableMap.of("ai.onnx", 13L, "ai.onnx.ml", 3L), "skl2onnx", "1.17"),
            new ModelSignature(
                    ImmutableList.of(ValueSpec.tensor("x", FLOAT, DYNAMIC, 4)),
                    ImmutableList.of(ValueSpec.tensor("label", STRING, DYNAMIC), ValueSpec.sequenceOfMaps("probabilities", STRING, FLOAT))),
            ModelTask.CLASSIFICATION,
            ImmutableList.of("setosa", "versicolor", "virginica"),
            ImmutableList.of("sepal_length", "sepal_width", "petal_length", "petal_width"),
            Optional.of("iris species"),
            true,
            ImmutableMap.of("algorithm", "logistic regression"),
            ImmutableMap.of("accuracy", 0.97),
            Optional.of("alice"));

    @Test
    void roundTrips()
    {
        assertThat(ManifestCodec.fromJson(ManifestCodec.toJson(MANIFEST), "test")).isEqualTo(MANIFEST);
    }

    @Test
    void longNamesAndStringsOfTheModelFileReadBack()
    {
        // an operator set's domain of 53,140 characters (a fuzzed model) is a field name; a label of over 20,000,000
        // characters a string: both longer than Jackson reads by default
        ModelManifest manifest = new ModelManifest(
                MANIFEST.name(),
                MANIFEST.version(),
                MANIFEST.createdAt(),
                MANIFEST.modelFile(),
                MANIFEST.sha256(),
                MANIFEST.sizeBytes(),
                new OnnxInfo(8, ImmutableMap.of("d".repeat(53_140), 1L), "p", "1"),
                MANIFEST.signature(),
                MANIFEST.task(),
                ImmutableList.of("l".repeat(20_000_001)),
                MANIFEST.featureNames(),
                MANIFEST.description(),
                false,
                ImmutableMap.of(),
                ImmutableMap.of(),
                Optional.empty());
        assertThat(ManifestCodec.fromJson(ManifestCodec.toJson(manifest), "test")).isEqualTo(manifest);
    }

    @Test
    void writesTheDocumentedFieldNames()
    {
        String json = new String(ManifestCodec.toJson(MANIFEST), UTF_8);
        assertThat(json).contains(
                "\"format_version\" : 1",
                "\"created_at\" : \"2026-11-27T10:15:30.123Z\"",
                "\"registered_by\" : \"alice\"",
                "\"sha256\" : \"" + "a".repeat(64) + "\"",
                "\"size_bytes\" : 1234",
                "\"ir_version\" : 8",
                "\"ai.onnx.ml\" : 3",
                "\"kind\" : \"sequence_of_maps\"",
                "\"key_type\" : \"string\"",
                "\"shape\" : [ -1, 4 ]",
                "\"task\" : \"classification\"",
                "\"feature_names\" : [ \"sepal_length\"",
                "\"handles_missing_values\" : true",
                "\"accuracy\" : 0.97");
    }

    @Test
    void reportsWhatIsWrong()
    {
        assertCorrupt("[]", "it is not a JSON object");
        assertCorrupt("{", "it is not valid JSON");
        assertCorrupt("{\"format_version\": 2}", "it has format version 2; this Onyx reads up to version 1, upgrade Onyx");
        String json = new String(ManifestCodec.toJson(MANIFEST), UTF_8);
        assertCorrupt(json.replace("\"sha256\"", "\"sha\""), "field 'sha256' is missing");
        assertCorrupt(json.replace("\"classification\"", "\"astrology\""), "unknown task 'astrology'");
        assertCorrupt(json.replace("\"element_type\" : \"float\"", "\"element_type\" : \"float128\""), "unknown element type 'float128'");
        assertCorrupt(json.replace("\"" + "a".repeat(64) + "\"", "\"xyz\""), "sha256 is not 64 lower-case hex digits: xyz");
    }

    @Test
    void readsAliasRecords()
    {
        AliasRecord moved = AliasRecord.first("production", 4, Instant.EPOCH).movedTo(5, Instant.EPOCH.plusSeconds(60));
        AliasRecord read = ManifestCodec.aliasFromJson(ManifestCodec.aliasToJson(moved), "production", "alias");
        assertThat(read).isEqualTo(moved);
        assertThat(read.versionAt(Instant.EPOCH.plusSeconds(59))).hasValue(4);
        assertThat(read.versionAt(Instant.EPOCH.plusSeconds(60))).hasValue(5);
        assertThat(read.versionAt(Instant.EPOCH.minusSeconds(1))).isEmpty();

        // a record written before aliases kept their history
        byte[] old = "{\"format_version\": 1, \"alias\": \"production\", \"version\": 3, \"updated_at\": \"2026-11-01T10:00:00Z\"}".getBytes(UTF_8);
        assertThat(ManifestCodec.aliasFromJson(old, "production", "alias").entries()).containsExactly(new AliasRecord.Entry(3, Instant.parse("2026-11-01T10:00:00Z")));
        assertThatThrownBy(() -> ManifestCodec.aliasFromJson("{\"version\": \"four\"}".getBytes(UTF_8), "production", "alias 'production' of model 'churn'"))
                .hasMessage("The manifest of alias 'production' of model 'churn' is malformed: 'version' is not a version number: \"four\"");
    }

    @Test
    void keepsThePositionsOfAnAliasThatRunningQueriesMayNeed()
    {
        AliasRecord record = AliasRecord.first("production", 1, Instant.EPOCH);
        for (int version = 2; version <= 1200; version++) {
            record = record.movedTo(version, Instant.EPOCH.plusSeconds(version));
        }
        assertThat(record.entries()).hasSize(AliasRecord.KEPT_ENTRIES);
        assertThat(record.current()).isEqualTo(new AliasRecord.Entry(1200, Instant.EPOCH.plusSeconds(1200)));
        assertThat(record.versionAt(Instant.EPOCH.plusSeconds(300))).hasValue(300);
        assertThat(record.versionAt(Instant.EPOCH.plusSeconds(100))).isEmpty();

        // a day after the alias moved on, an old position is dropped; the one a query may still run with stays
        AliasRecord daily = AliasRecord.first("production", 1, Instant.EPOCH)
                .movedTo(2, Instant.EPOCH.plus(Duration.ofHours(1)))
                .movedTo(3, Instant.EPOCH.plus(Duration.ofHours(30)));
        assertThat(daily.entries()).extracting(AliasRecord.Entry::version).containsExactly(3, 2);
    }

    private static void assertCorrupt(String json, String why)
    {
        assertThatThrownBy(() -> ManifestCodec.fromJson(json.getBytes(UTF_8), "model 'iris' version 3"))
                .isInstanceOf(OnyxException.class)
                .hasMessageStartingWith("The manifest of model 'iris' version 3 is malformed: " + why)
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MANIFEST_CORRUPT);
    }
}
