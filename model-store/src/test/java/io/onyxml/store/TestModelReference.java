package io.onyxml.store;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.OptionalInt;

import static io.onyxml.store.OnyxErrorCode.INVALID_ALIAS;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_NAME;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_REFERENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestModelReference
{
    @Test
    void parsesTheThreeForms()
    {
        assertThat(ModelReference.parse("churn")).isEqualTo(new ModelReference("churn", OptionalInt.empty(), Optional.empty()));
        assertThat(ModelReference.parse("churn/3")).isEqualTo(new ModelReference("churn", OptionalInt.of(3), Optional.empty()));
        assertThat(ModelReference.parse("churn@production")).isEqualTo(new ModelReference("churn", OptionalInt.empty(), Optional.of("production")));
        assertThat(ModelReference.parse("churn@latest").isLatest()).isTrue();
        assertThat(ModelReference.parse("churn/3")).hasToString("churn/3");
        assertThat(ModelReference.parse("churn@production")).hasToString("churn@production");
        assertThat(ModelReference.parse("churn")).hasToString("churn");
    }

    @Test
    void rejectsMalformedReferences()
    {
        assertThatThrownBy(() -> ModelReference.parse(""))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("Model reference is empty")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(INVALID_MODEL_REFERENCE);
        assertThatThrownBy(() -> ModelReference.parse("churn/x"))
                .hasMessage("Invalid model reference 'churn/x': 'x' is not a version number; use 'name' (latest version), 'name/3' (version 3) or 'name@alias'");
        assertThatThrownBy(() -> ModelReference.parse("churn/0"))
                .hasMessageContaining("versions are numbered from 1");
        assertThatThrownBy(() -> ModelReference.parse("churn/3@prod"))
                .hasMessageContaining("it has both a version and an alias");
        assertThatThrownBy(() -> ModelReference.parse("Churn"))
                .hasMessageContaining("Invalid model reference 'Churn': Invalid model name 'Churn'")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(INVALID_MODEL_REFERENCE);
        assertThatThrownBy(() -> ModelReference.parse("churn@Prod!"))
                .hasMessageContaining("Invalid alias 'Prod!'");
        // a reference is text that names a model exactly, as table names do: no silent trimming
        assertThatThrownBy(() -> ModelReference.parse(" churn@production"))
                .hasMessage("Invalid model reference ' churn@production': it has spaces around it; use 'name' (latest version), 'name/3' (version 3) or 'name@alias'")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(INVALID_MODEL_REFERENCE);
        assertThatThrownBy(() -> ModelReference.parse("churn\n"))
                .hasMessage("Invalid model reference 'churn\\u000a': it has spaces around it; use 'name' (latest version), 'name/3' (version 3) or 'name@alias'");
        assertThatThrownBy(() -> ModelReference.parse("ch\u0000urn"))
                .hasMessage("Invalid model reference 'ch\\u0000urn': it holds control characters; use 'name' (latest version), 'name/3' (version 3) or 'name@alias'");
    }

    @Test
    void checksNames()
    {
        ModelNames.checkModelName("churn_v2.final-1");
        ModelNames.checkModelName("a".repeat(128));
        assertInvalidName("");
        assertInvalidName("a/b");
        assertInvalidName("../etc");
        assertInvalidName("a..b");
        assertInvalidName(".hidden");
        assertInvalidName("tab\there");
        assertInvalidName("a".repeat(129));
        assertInvalidName("UPPER");
        assertThatThrownBy(() -> ModelNames.checkModelName("tab\there")).hasMessageContaining("'tab\\u0009here'");
        assertThatThrownBy(() -> ModelNames.checkModelName(null)).hasMessageContaining("Model name is null");
    }

    @Test
    void checksAliases()
    {
        ModelNames.checkUserAlias("production");
        assertThatThrownBy(() -> ModelNames.checkUserAlias("latest"))
                .hasMessageContaining("maintained by the model store")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(INVALID_ALIAS);
        assertThatThrownBy(() -> ModelNames.checkUserAlias("1st")).hasMessageContaining("Invalid alias '1st'");
        assertThatThrownBy(() -> ModelNames.checkUserAlias("a".repeat(65))).hasMessageContaining("Invalid alias");
    }

    private static void assertInvalidName(String name)
    {
        assertThatThrownBy(() -> ModelNames.checkModelName(name))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("Invalid model name")
                .hasMessageContaining(ModelNames.MODEL_NAME_RULE)
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(INVALID_MODEL_NAME);
    }
}
