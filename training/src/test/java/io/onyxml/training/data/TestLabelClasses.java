package io.onyxml.training.data;

import com.google.common.collect.ImmutableMap;
import io.onyxml.store.OnyxException;
import io.onyxml.training.TrainingLimits;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.onyxml.store.OnyxErrorCode.TRAINING_LIMIT_EXCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestLabelClasses
{
    @Test
    void partitionsMergeIntoTheClassesOfAllAndOfTheTrainingRows()
    {
        LabelClasses first = new LabelClasses("y", TrainingLimits.DEFAULTS);
        first.add("10", true);
        first.add("9", false);
        LabelClasses second = new LabelClasses("y", TrainingLimits.DEFAULTS);
        second.add("2", true);
        second.add("10", false);
        LabelClasses merged = first.merge(second);
        // numeric classes in numeric order, as the core orders them
        assertThat(merged.all()).containsExactly("2", "9", "10");
        assertThat(merged.training()).containsExactly("2", "10");
    }

    @Test
    void theCategoryLimitHoldsAcrossPartitions()
    {
        TrainingLimits limits = new TrainingLimits(100, 10, 2, Duration.ofMinutes(1), ImmutableMap.of(TrainingLimits.Limit.CATEGORIES, "raise it"));
        LabelClasses first = new LabelClasses("y", limits);
        first.add("a", true);
        first.add("b", true);
        LabelClasses second = new LabelClasses("y", limits);
        second.add("c", false);
        assertThatThrownBy(() -> first.merge(second))
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(TRAINING_LIMIT_EXCEEDED))
                .hasMessage("Label 'y' has more than 2 distinct classes, the limit of categories per column; raise it");
    }
}
