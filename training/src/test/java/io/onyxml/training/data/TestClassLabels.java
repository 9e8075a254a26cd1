package io.onyxml.training.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestClassLabels
{
    @Test
    void onlyCanonicalWholeNumbersBecomeIntegerLabels()
    {
        assertThat(ClassLabels.allIntegers(List.of("0", "1", "-3", "10"))).isTrue();
        assertThat(ClassLabels.allIntegers(List.of("001", "002"))).isFalse();
        assertThat(ClassLabels.allIntegers(List.of("-0", "1"))).isFalse();
        assertThat(ClassLabels.allIntegers(List.of("1", "1.5"))).isFalse();
        assertThat(ClassLabels.sorted(List.of("10", "9", "-1"))).containsExactly("-1", "9", "10");
        assertThat(ClassLabels.sorted(List.of("b", "B", "a"))).containsExactly("B", "a", "b");
        assertThat(ClassLabels.format(3.0)).isEqualTo("3");
        assertThat(ClassLabels.of(true)).isEqualTo("true");
    }
}
