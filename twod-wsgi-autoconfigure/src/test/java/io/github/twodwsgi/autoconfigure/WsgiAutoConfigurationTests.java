package io.github.twodwsgi.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.github.twodwsgi.WsgiApplication;
import io.github.twodwsgi.worker.RunDirectory;
import io.github.twodwsgi.worker.WorkerPool;
import io.github.twodwsgi.worker.WorkerSpec;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration, with real workers where an app is configured.
 */
class WsgiAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsgiAutoConfiguration.class));

	@Test
	void eachAppIsABeanNamedAfterIt() {
		this.contextRunner
			.withPropertyValues("twod.wsgi.apps.one.app=gateway_apps:environ_app", "twod.wsgi.apps.one.workers=1",
					"twod.wsgi.apps.one.python-path=src/test/python", "twod.wsgi.apps.two-words.app=gateway_apps:behaviour_app",
					"twod.wsgi.apps.two-words.python-path=src/test/python", "twod.wsgi.apps.two-words.workers=1",
					"twod.wsgi.apps.two-words.mount=/")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).getBeans(WsgiApplication.class)
					.containsOnlyKeys("oneWsgiApplication", "two-wordsWsgiApplication");
				assertThat(context.getBean("oneWsgiApplication", WsgiApplication.class).getMount()).isEqualTo("/one");
				assertThat(context.getBean("two-wordsWsgiApplication", WsgiApplication.class).getMount())
					.isEqualTo("/");
				assertThat(context.getBean("twodWsgiHandlerMapping", WsgiHandlerMapping.class).getApplications())
					.extracting(WsgiApplication::getName)
					.containsExactly("one");
				assertThat(context.getBean("twodWsgiRootHandlerMapping", WsgiHandlerMapping.class).getApplications())
					.extracting(WsgiApplication::getName)
					.containsExactly("two-words");
			});
	}

	@Test
	void workersAreRunningBeforeTheContextIsReadyAndGoneAfterItCloses() {
		List<Long> pids = new java.util.ArrayList<>();
		this.contextRunner
			.withPropertyValues("twod.wsgi.apps.one.app=gateway_apps:environ_app", "twod.wsgi.apps.one.workers=2",
					"twod.wsgi.apps.one.python-path=src/test/python")
			.run((context) -> {
				WorkerPool pool = context.getBean(WsgiApplication.class).getPool();
				assertThat(pool.size()).isEqualTo(2);
				pids.addAll(pool.pids());
				assertThat(pids).allMatch((pid) -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
			});
		assertThat(pids).hasSize(2)
			.allMatch((pid) -> ProcessHandle.of(pid).map((handle) -> !handle.isAlive()).orElse(true));
	}

	@Test
	void theRunDirectoryIsPrivateAndRemovedAtShutdown() {
		java.nio.file.Path[] root = new java.nio.file.Path[1];
		this.contextRunner.run((context) -> {
			root[0] = context.getBean(RunDirectory.class).root();
			assertThat(java.nio.file.Files.getPosixFilePermissions(root[0]))
				.isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
		});
		assertThat(root[0]).doesNotExist();
	}

	@Test
	void nothingIsMountedWhenDisabled() {
		this.contextRunner
			.withPropertyValues("twod.wsgi.enabled=false", "twod.wsgi.apps.one.app=gateway_apps:environ_app")
			.run((context) -> assertThat(context).doesNotHaveBean(WsgiApplication.class)
				.doesNotHaveBean(RunDirectory.class)
				.doesNotHaveBean(WsgiHandlerMapping.class));
	}

	@Test
	void nothingIsMountedOutsideAServletWebApplication() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WsgiAutoConfiguration.class))
			.withPropertyValues("twod.wsgi.apps.one.app=gateway_apps:environ_app")
			.run((context) -> assertThat(context).doesNotHaveBean(WsgiApplication.class));
	}

	@Test
	void aBeanOfTheSameNameReplacesTheConfiguredApp() {
		this.contextRunner.withUserConfiguration(CustomApplicationConfiguration.class)
			.withPropertyValues("twod.wsgi.apps.one.app=gateway_apps:environ_app")
			.run((context) -> {
				assertThat(context).hasSingleBean(WsgiApplication.class);
				assertThat(context.getBean(WsgiApplication.class).getMount()).isEqualTo("/custom");
			});
	}

	@Test
	void appNamesMustBeLowercaseWordsWithDashes() {
		this.contextRunner.withPropertyValues("twod.wsgi.apps[My_App].app=gateway_apps:environ_app")
			.run((context) -> assertThat(invalidConfiguration(context))
				.hasMessageContaining("twod.wsgi.apps.My_App")
				.hasMessageContaining("use lowercase letters, digits and '-'"));
	}

	@Test
	void anAppNeedsACallable() {
		this.contextRunner.withPropertyValues("twod.wsgi.apps.one.workers=1")
			.run((context) -> assertThat(invalidConfiguration(context))
				.hasMessageContaining("twod.wsgi.apps.one.app: no WSGI callable is set"));
	}

	@Test
	void twoAppsCannotShareAMount() {
		this.contextRunner
			.withPropertyValues("twod.wsgi.apps.one.app=a:app", "twod.wsgi.apps.two.app=b:app",
					"twod.wsgi.apps.two.mount=/one")
			.run((context) -> assertThat(invalidConfiguration(context)).hasMessageContaining("twod.wsgi.apps.two.mount")
				.hasMessageContaining("apps 'one' and 'two' are both mounted at /one"));
	}

	@Test
	void badValuesAreRejectedNamingTheProperty() {
		assertBindFailure("twod.wsgi.apps.one.mount=shop/", "Mount path 'shop/' must be '/' or start with '/'");
		assertBindFailure("twod.wsgi.apps.one.workers=0", "workers must be at least 1, not 0");
		assertBindFailure("twod.wsgi.apps.one.app=not a module", "'not a module' must be 'module:callable'");
		assertBindFailure("twod.wsgi.apps.one.request-timeout=0s", "request-timeout must be positive");
		assertBindFailure("twod.wsgi.apps.one.queue-timeout=-1s", "queue-timeout must not be negative");
		assertBindFailure("twod.wsgi.apps.one.boot-timeout=0s", "boot-timeout must be positive");
	}

	private void assertBindFailure(String property, String message) {
		this.contextRunner.withPropertyValues("twod.wsgi.apps.one.app=gateway_apps:environ_app", property)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(causeOfType(context.getStartupFailure(), BindException.class))
					.hasMessageContaining("twod.wsgi.apps.one");
				assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(message);
			});
	}

	private static InvalidWsgiConfigurationException invalidConfiguration(
			org.springframework.boot.test.context.assertj.AssertableWebApplicationContext context) {
		assertThat(context).hasFailed();
		return causeOfType(context.getStartupFailure(), InvalidWsgiConfigurationException.class);
	}

	private static <T extends Throwable> T causeOfType(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		throw new AssertionError("no " + type.getSimpleName() + " in " + failure, failure);
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomApplicationConfiguration {

		@Bean
		WsgiApplication oneWsgiApplication(RunDirectory runDirectory) {
			WorkerSpec spec = new WorkerSpec("one", "gateway_apps:environ_app", "python3",
					List.of(java.nio.file.Path.of("src/test/python").toAbsolutePath()),
					java.util.Map.of(), 1, Duration.ofSeconds(10), runDirectory);
			return new WsgiApplication("one", "/custom", new WorkerPool(spec), Duration.ofSeconds(5),
					Duration.ofSeconds(1));
		}

	}

}
