package io.github.twodwsgi.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * When {@code twod.wsgi.prepare-only} ends the start, and when it leaves it alone.
 */
class PrepareOnlyListenerTests {

	private final List<Integer> exits = new ArrayList<>();

	private final PrepareOnlyListener listener = new PrepareOnlyListener(this.exits::add);

	@Test
	void withoutPrepareOnlyTheStartGoesOn() {
		this.listener.onApplicationEvent(prepared(new MockEnvironment()));
		assertThat(this.exits).isEmpty();
	}

	@Test
	void prepareOnlyWithoutAppsExits0() {
		this.listener.onApplicationEvent(prepared(new MockEnvironment().withProperty("twod.wsgi.prepare-only", "true")));
		assertThat(this.exits).containsExactly(0);
	}

	@Test
	void prepareOnlyWithTheStarterDisabledPreparesNothingAndExits0() {
		this.listener.onApplicationEvent(prepared(new MockEnvironment().withProperty("twod.wsgi.prepare-only", "true")
			.withProperty("twod.wsgi.enabled", "false")
			.withProperty("twod.wsgi.apps.shop.app", "shop:app")
			.withProperty("twod.wsgi.apps.shop.requirements", "/no/such/requirements.txt")));
		assertThat(this.exits).containsExactly(0);
	}

	@Test
	void anEnvironmentThatCannotBePreparedFailsTheStartWithoutExiting() {
		assertThatExceptionOfType(InvalidWsgiConfigurationException.class)
			.isThrownBy(() -> this.listener.onApplicationEvent(prepared(new MockEnvironment()
				.withProperty("twod.wsgi.prepare-only", "true")
				.withProperty("twod.wsgi.apps.shop.app", "shop:app")
				.withProperty("twod.wsgi.apps.shop.requirements", "/no/such/requirements.txt"))))
			.withMessageContaining("twod.wsgi.apps.shop.requirements");
		assertThat(this.exits).isEmpty();
	}

	private static ApplicationEnvironmentPreparedEvent prepared(MockEnvironment environment) {
		return new ApplicationEnvironmentPreparedEvent(new DefaultBootstrapContext(), new SpringApplication(),
				new String[0], environment);
	}

}
