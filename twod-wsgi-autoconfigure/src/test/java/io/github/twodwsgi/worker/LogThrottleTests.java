package io.github.twodwsgi.worker;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A warning per refused request becomes at most a line a second that counts the rest. */
class LogThrottleTests {

	private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

	@Test
	void theFirstOccurrenceIsLoggedThenOneASecondWithTheCountOfTheRest() {
		LogThrottle throttle = new LogThrottle();
		long t = System.nanoTime();
		assertThat(throttle.occurred(t)).isZero();
		for (int i = 1; i <= 2500; i++) {
			assertThat(throttle.occurred(t + i * 100_000L)).isEqualTo(-1);
		}
		assertThat(throttle.occurred(t + SECOND + 1)).isEqualTo(2500);
		assertThat(throttle.occurred(t + SECOND + 2)).isEqualTo(-1);
		assertThat(throttle.occurred(t + 3 * SECOND)).isEqualTo(1);
		assertThat(throttle.occurred(t + 5 * SECOND)).isZero();
	}

	@Test
	void theSuffixSaysHowManyWereNotLogged() {
		assertThat(LogThrottle.since(0)).isEmpty();
		assertThat(LogThrottle.since(2500)).isEqualTo(" (2500 more since the last such line)");
	}

}
