package io.onyxml.training;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPartitionModelNames
{
    @Test
    void escapesWhatNamesCannotHold()
    {
        assertThat(PartitionModelNames.name("sales", List.of("region"), List.of("eu-west"))).isEqualTo("sales__region=eu-west");
        assertThat(PartitionModelNames.name("sales", List.of("Region"), List.of("EU"))).isEqualTo("sales__.52egion=.45.55");
        assertThat(PartitionModelNames.name("sales", List.of("a", "b"), Arrays.asList("x_y", null))).isEqualTo("sales__a=x.5fy__b=.null");
        assertThat(PartitionModelNames.name("sales", List.of("city"), List.of("zürich 1.5"))).isEqualTo("sales__city=z.c3.bcrich.201.2e5");
    }

    @Test
    void neverGivesTwoPartitionsOneName()
    {
        List<List<String>> partitions = List.of(
                Arrays.asList("a__b", "c"),
                Arrays.asList("a", "b__c"),
                Arrays.asList("a=b", "c"),
                Arrays.asList("null", "c"),
                Arrays.asList(null, "c"),
                Arrays.asList(".null", "c"),
                Arrays.asList("A", "c"),
                Arrays.asList("a", "c"));
        Set<String> names = new HashSet<>();
        for (List<String> values : partitions) {
            names.add(PartitionModelNames.name("m", List.of("x", "y"), values));
        }
        assertThat(names).hasSize(partitions.size());
    }

    @Test
    void tooLongIsAClearError()
    {
        assertThatThrownBy(() -> PartitionModelNames.name("m", List.of("region"), List.of("x".repeat(200))))
                .hasMessageStartingWith("The model name for partition __region=xxx")
                .hasMessageEndingWith("is 210 characters long, more than 128; use a shorter model name or shorter partition values");
    }
}
