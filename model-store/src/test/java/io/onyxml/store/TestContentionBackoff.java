package io.onyxml.store;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class TestContentionBackoff
{
    @Test
    void keepsTryingWhilePatienceLastsAndCountsLosses()
    {
        ContentionBackoff backoff = new ContentionBackoff(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMinutes(1));
        for (int loss = 1; loss <= 30; loss++) {
            assertThat(backoff.pauseAfterLoss()).isTrue();
            assertThat(backoff.losses()).isEqualTo(loss);
        }
    }

    @Test
    void givesUpOncePatienceIsSpent()
    {
        ContentionBackoff backoff = new ContentionBackoff(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ZERO);
        assertThat(backoff.pauseAfterLoss()).isFalse();
        assertThat(backoff.losses()).isEqualTo(1);
    }
}
