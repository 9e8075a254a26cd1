package io.onyxml.training;

import io.onyxml.store.OnyxException;
import org.junit.jupiter.api.Test;

import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestTrainingOptions
{
    @Test
    void parsesAndCompletesWithDefaults()
    {
        TrainingOptions options = TrainingOptions.parse(Algorithm.LOGISTIC_REGRESSION, " l2 = 0.5 , STANDARDIZE=false,seed=-3 ");
        assertThat(options.number(TrainingOption.L2)).isEqualTo(0.5);
        assertThat(options.flag(TrainingOption.STANDARDIZE)).isFalse();
        assertThat(options.integer(TrainingOption.SEED)).isEqualTo(-3);
        assertThat(options.integer(TrainingOption.MAX_ITER)).isEqualTo(100);
        assertThat(options.asMap()).containsEntry("l2", "0.5").containsEntry("tolerance", "1.0E-8");
    }

    @Test
    void errorsListWhatIsValid()
    {
        assertThatThrownBy(() -> Algorithm.fromName("svm"))
                .hasMessage("Unknown algorithm 'svm': use one of linear_regression, logistic_regression, gradient_boosted_trees, kmeans");
        assertError("k=3")
                .hasMessage("Unknown option 'k' for linear_regression: its options are l2 (default 0.0), standardize (default false), test_fraction (default 0.0), seed (default 42)");
        assertError("l2=-1").hasMessage("Option l2=-1 of linear_regression is invalid: expected a number of at least 0");
        assertError("test_fraction=0.95").hasMessage("Option test_fraction=0.95 of linear_regression is invalid: expected a number from 0 to 0.9");
        assertError("standardize=yes").hasMessage("Option standardize=yes of linear_regression is invalid: expected true or false");
        assertError("l2").hasMessage("Option 'l2' of linear_regression has no value: write options => 'name=value, ...'");
        assertError("l2=1, l2=2").hasMessage("Option 'l2' is given twice");
        assertThatThrownBy(() -> TrainingOptions.parse(Algorithm.KMEANS, "k=0")).hasMessage("Option k=0 of kmeans is invalid: expected a whole number from 1 to 10000");
        assertThatThrownBy(() -> TrainingOptions.parse(Algorithm.KMEANS, "k=2.5")).hasMessage("Option k=2.5 of kmeans is invalid: expected a whole number from 1 to 10000");
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertError(String options)
    {
        return assertThatThrownBy(() -> TrainingOptions.parse(Algorithm.LINEAR_REGRESSION, options))
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(INVALID_ARGUMENT));
    }
}
