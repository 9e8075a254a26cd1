package io.onyxml.store;

import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static io.onyxml.store.OnyxErrorCode.LOCATION_NOT_ALLOWED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Registrations read only where the operator allows, with the same answer for every location outside whether or
 * not something exists there.
 */
class TestRegistrationPolicy
{
    private static final String SETTING = "onyx.register-model.allowed-locations";
    private static final String SIZE_SETTING = "onyx.max-model-file-size";

    @TempDir
    Path temporary;
    private Path allowed;
    private Path outside;
    private RegistrationPolicy policy;

    @BeforeEach
    void createLocations()
            throws Exception
    {
        allowed = Files.createDirectories(temporary.resolve("uploads"));
        outside = Files.createDirectories(temporary.resolve("private"));
        Files.write(allowed.resolve("linear.onnx"), TestModels.linearRegression());
        Files.write(outside.resolve("secret.onnx"), TestModels.linearRegression());
        policy = RegistrationPolicy.fromSettings(allowed + ", s3://uploads/team", SETTING, 1 << 20, SIZE_SETTING);
    }

    @Test
    void readsInsideTheAllowedLocations()
            throws Exception
    {
        ModelSource file = policy.check(ModelSource.parse(allowed.resolve("linear.onnx").toString()));
        assertThat(((ModelSource.LocalFile) file).path()).isEqualTo(allowed.resolve("linear.onnx").toRealPath());
        assertThat(policy.check(ModelSource.parse(allowed.resolve("linear.onnx").toUri().toString()))).isInstanceOf(ModelSource.LocalFile.class);
        assertThat(policy.check(ModelSource.parse("s3://uploads/team/linear.onnx"))).isEqualTo(ModelSource.parse("s3://uploads/team/linear.onnx"));
        assertThat(policy.check(ModelSource.parse("s3://uploads/team/nested/linear.onnx"))).isInstanceOf(ModelSource.ObjectUri.class);
        // bytes in memory name no location
        assertThat(policy.check(ModelSource.of(new byte[] {1}))).isInstanceOf(ModelSource.Bytes.class);
    }

    @Test
    void answersTheSameForEveryLocationOutside()
            throws Exception
    {
        String expected = "Model location '%s' is not in a location models may be registered from: " + allowed + ", s3://uploads/team (" + SETTING + ")";
        for (String location : new String[] {
                outside.resolve("secret.onnx").toString(),
                outside.resolve("missing.onnx").toString(),
                allowed.resolve("../private/secret.onnx").toString(),
                allowed.resolve("../private/missing.onnx").toString(),
                "/etc/passwd",
                "/no/such/file.onnx",
                outside.resolve("secret.onnx").toUri().toString(),
                "s3://uploads/teamwork/linear.onnx",
                "s3://uploads/other/linear.onnx",
                "s3://elsewhere/team/linear.onnx",
                "s3://uploads/team/../other/linear.onnx",
                "s3://uploads/team/%2e%2e/other/linear.onnx",
                "s3://uploads/team//linear.onnx",
                "s3a://uploads/team/./linear.onnx"}) {
            assertNotAllowed(location, expected.formatted(location));
        }
    }

    @Test
    void symbolicLinksDoNotLeadOut()
            throws Exception
    {
        Path linkedFile = Files.createSymbolicLink(allowed.resolve("link.onnx"), outside.resolve("secret.onnx"));
        Path linkedFolder = Files.createSymbolicLink(allowed.resolve("folder"), outside);
        String expected = "Model location '%s' is not in a location models may be registered from: " + allowed + ", s3://uploads/team (" + SETTING + ")";
        assertNotAllowed(linkedFile.toString(), expected.formatted(linkedFile));
        assertNotAllowed(linkedFolder.resolve("secret.onnx").toString(), expected.formatted(linkedFolder.resolve("secret.onnx")));
        // a link that stays inside is followed
        Path inside = Files.createSymbolicLink(allowed.resolve("alias.onnx"), allowed.resolve("linear.onnx"));
        assertThat(((ModelSource.LocalFile) policy.check(ModelSource.parse(inside.toString()))).path()).isEqualTo(allowed.resolve("linear.onnx").toRealPath());
    }

    @Test
    void aLinkInsideDoesNotTellWhatExistsOutside()
            throws Exception
    {
        Path linkedFolder = Files.createSymbolicLink(allowed.resolve("elsewhere"), outside);
        String expected = "Model location '%s' is not in a location models may be registered from: " + allowed + ", s3://uploads/team (" + SETTING + ")";
        for (String name : new String[] {"secret.onnx", "missing.onnx", "missing/deeper.onnx"}) {
            Path path = linkedFolder.resolve(name);
            assertNotAllowed(path.toString(), expected.formatted(path));
        }
    }

    @Test
    void aLinkFromOneAllowedDirectoryIntoAnotherIsFollowed()
            throws Exception
    {
        Path second = Files.createDirectories(temporary.resolve("shared"));
        Files.write(second.resolve("shared.onnx"), TestModels.linearRegression());
        Path link = Files.createSymbolicLink(allowed.resolve("shared.onnx"), second.resolve("shared.onnx"));
        RegistrationPolicy both = RegistrationPolicy.fromSettings(allowed + "," + second, SETTING, 1 << 20, SIZE_SETTING);
        ModelSource admitted = both.check(ModelSource.parse(link.toString()));
        assertThat(((ModelSource.LocalFile) admitted).path()).isEqualTo(second.resolve("shared.onnx").toRealPath());
        assertThat(admitted.description()).isEqualTo(link.toString());
    }

    @Test
    void explainsWhatIsWrongInside()
    {
        assertThatThrownBy(() -> policy.check(ModelSource.parse(allowed.resolve("missing.onnx").toString())))
                .hasMessage("Model file " + allowed.resolve("missing.onnx") + " does not exist")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(INVALID_ARGUMENT);
        assertThatThrownBy(() -> policy.check(ModelSource.parse("uploads/linear.onnx")))
                .hasMessage("Model location 'uploads/linear.onnx' is a relative path; give an absolute path in one of: " + allowed + ", s3://uploads/team")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(INVALID_ARGUMENT);
        assertThatThrownBy(() -> ModelSource.parse(allowed + "/linear.onnx\u0000"))
                .hasMessage("Model location '" + allowed + "/linear.onnx\\u0000' holds control characters");
    }

    @Test
    void capsTheFileSizeBeforeReadingTheFile()
    {
        ModelStoreConfig config = ModelStoreConfig.local(temporary.resolve("store"))
                .withRegistrationPolicy(RegistrationPolicy.fromSettings(allowed.toString(), SETTING, 100, SIZE_SETTING));
        try (ModelStore store = ModelStore.open(config)) {
            int size = TestModels.linearRegression().length;
            assertThatThrownBy(() -> store.register("linear", ModelSource.parse(allowed.resolve("linear.onnx").toString()), RegisterOptions.DEFAULTS))
                    .hasMessage("Model file " + allowed.resolve("linear.onnx") + " has " + size + " bytes, more than the 100 bytes a model may have (" + SIZE_SETTING + ")")
                    .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(INVALID_ARGUMENT);
            assertThatThrownBy(() -> store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.DEFAULTS))
                    .hasMessage("Model file of " + size + " given bytes has " + size + " bytes, more than the 100 bytes a model may have (" + SIZE_SETTING + ")");
            assertThat(store.listModels()).isEmpty();
        }
    }

    @Test
    void refusesEveryLocationWhenNoneIsAllowed()
    {
        RegistrationPolicy none = RegistrationPolicy.fromSettings("", SETTING, 1 << 20, SIZE_SETTING);
        assertThatThrownBy(() -> none.check(ModelSource.parse(allowed.resolve("linear.onnx").toString())))
                .hasMessage("Registering models from files is disabled here: " + SETTING + " names no location to read them from; ask the operator to set it to the directories and s3:// prefixes that hold models")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(LOCATION_NOT_ALLOWED);
        assertThat(none.check(ModelSource.of(new byte[] {1}))).isInstanceOf(ModelSource.Bytes.class);
    }

    @Test
    void refusesSettingsThatAreNotLocations()
    {
        assertThatThrownBy(() -> RegistrationPolicy.fromSettings("models", SETTING, 1, SIZE_SETTING))
                .hasMessage(SETTING + " lists 'models', but it is not an absolute path: give absolute directories and s3://bucket/prefix locations");
        assertThatThrownBy(() -> RegistrationPolicy.fromSettings("s3:///prefix", SETTING, 1, SIZE_SETTING))
                .hasMessage(SETTING + " lists 's3:///prefix', but it names no bucket: give absolute directories and s3://bucket/prefix locations");
        assertThatThrownBy(() -> RegistrationPolicy.fromSettings("file:relative/models", SETTING, 1, SIZE_SETTING))
                .hasMessage(SETTING + " lists 'file:relative/models', but it is not an absolute path: give absolute directories and s3://bucket/prefix locations");
        assertThatThrownBy(() -> RegistrationPolicy.fromSettings("s3://bucket/a/../b", SETTING, 1, SIZE_SETTING))
                .hasMessage(SETTING + " lists 's3://bucket/a/../b', but its prefix has empty, '.' or '..' segments: give absolute directories and s3://bucket/prefix locations");
    }

    private void assertNotAllowed(String location, String message)
    {
        assertThatThrownBy(() -> policy.check(ModelSource.parse(location)))
                .as(location)
                .hasMessage(message)
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(LOCATION_NOT_ALLOWED);
    }
}
