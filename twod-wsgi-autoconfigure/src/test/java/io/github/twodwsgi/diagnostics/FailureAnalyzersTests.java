package io.github.twodwsgi.diagnostics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.github.twodwsgi.autoconfigure.WsgiAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Startup failures of real workers, as the registered failure analyzers report them.
 */
class FailureAnalyzersTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsgiAutoConfiguration.class))
		.withPropertyValues("twod.wsgi.apps.shop.python-path=src/test/python", "twod.wsgi.apps.shop.workers=2");

	@Test
	void anAppThatFailsToImportIsReportedWithItsTraceback() {
		FailureAnalysis analysis = analyzeStartupWith("twod.wsgi.apps.shop.app=broken_app:application");
		assertThat(analysis.getDescription()).contains("WSGI app 'shop' failed to start because")
			.contains("app: broken_app:application")
			.contains("module: broken_app")
			.contains("Traceback (most recent call last)")
			.contains("ImportError: this module is broken on purpose");
		assertThat(analysis.getAction()).contains("Make sure that module 'broken_app' can be imported")
			.contains("twod.wsgi.apps.shop.python-path");
	}

	@Test
	void aMissingModuleIsReported() {
		FailureAnalysis analysis = analyzeStartupWith("twod.wsgi.apps.shop.app=no_such_module:app");
		assertThat(analysis.getDescription()).contains("ModuleNotFoundError: No module named 'no_such_module'");
	}

	@Test
	void aMissingAttributeIsReported() {
		FailureAnalysis analysis = analyzeStartupWith("twod.wsgi.apps.shop.app=gateway_apps:nowhere");
		assertThat(analysis.getDescription()).contains("module 'gateway_apps' has no attribute 'nowhere'");
	}

	@Test
	void somethingThatIsNotCallableIsReported() {
		FailureAnalysis analysis = analyzeStartupWith("twod.wsgi.apps.shop.app=gateway_apps:not_callable");
		assertThat(analysis.getDescription()).contains("'gateway_apps:not_callable' is a int, not a WSGI callable");
	}

	@Test
	void aMiddlewareThatFailsIsReportedWithItsNameAndTraceback() {
		FailureAnalysis analysis = analyzeStartupWith("twod.wsgi.apps.shop.app=gateway_apps:environ_app",
				"twod.wsgi.apps.shop.middleware[0].factory=gateway_apps:trail_middleware",
				"twod.wsgi.apps.shop.middleware[0].args.name=fine",
				"twod.wsgi.apps.shop.middleware[1].factory=gateway_apps:broken_middleware");
		assertThat(analysis.getDescription())
			.contains("WSGI app 'shop' failed to start because WSGI middleware gateway_apps:broken_middleware "
					+ "(number 2, outermost first) could not be applied")
			.contains("RuntimeError: this middleware is broken on purpose");
		assertThat(analysis.getAction()).contains("middleware");
	}

	@Test
	void aMiddlewareThatCannotBeImportedIsReported() {
		FailureAnalysis analysis = analyzeStartupWith("twod.wsgi.apps.shop.app=gateway_apps:environ_app",
				"twod.wsgi.apps.shop.middleware[0].factory=no_such_module:Middleware");
		assertThat(analysis.getDescription()).contains("WSGI middleware no_such_module:Middleware")
			.contains("ModuleNotFoundError: No module named 'no_such_module'");
	}

	@Test
	void aMiddlewareWithArgumentsItDoesNotTakeIsReported() {
		FailureAnalysis analysis = analyzeStartupWith("twod.wsgi.apps.shop.app=gateway_apps:environ_app",
				"twod.wsgi.apps.shop.middleware[0].factory=gateway_apps:trail_middleware",
				"twod.wsgi.apps.shop.middleware[0].args.colour=blue");
		assertThat(analysis.getDescription()).contains("WSGI middleware gateway_apps:trail_middleware")
			.contains("TypeError");
	}

	@Test
	void aMiddlewareFactoryThatIsNotModuleColonCallableIsAConfigurationError() {
		FailureAnalysis analysis = analyzeStartupWith("twod.wsgi.apps.shop.app=gateway_apps:environ_app",
				"twod.wsgi.apps.shop.middleware[0].factory=not a factory");
		assertThat(analysis.getDescription()).contains("twod.wsgi.apps.shop.middleware")
			.contains("must be 'module:callable'");
	}

	@Test
	void aSettingThatCannotBeConvertedIsReportedWithItsSource() {
		FailureAnalysis analysis = analyzeStartupWith("twod.wsgi.apps.shop.app=gateway_apps:environ_app",
				"twod.wsgi.apps.shop.settings.DEBUG=sometimes");
		assertThat(analysis.getDescription())
			.contains("WSGI app 'shop' failed to start because its setting DEBUG cannot be converted")
			.contains("value: 'sometimes'")
			.contains("expected: a boolean (true/yes/on/1 or false/no/off/0)")
			.contains("from: 'twod.wsgi.apps.shop.settings.DEBUG'");
		assertThat(analysis.getAction()).contains("twod.wsgi.apps.shop.settings-types");
	}

	@Test
	void aSecretSettingThatCannotBeConvertedIsReportedWithoutItsValue() {
		FailureAnalysis analysis = analyzeStartupWith("twod.wsgi.apps.shop.app=gateway_apps:environ_app",
				"twod.wsgi.apps.shop.settings-types.integers=SECRET_NUMBER",
				"twod.wsgi.apps.shop.settings.SECRET_NUMBER=hunter2");
		assertThat(analysis.getDescription()).contains("value: ******").doesNotContain("hunter2");
	}

	@Test
	void aDjangoSettingsModuleThatCannotBeImportedIsReported() {
		FailureAnalysis analysis = analyzeStartupWith("twod.wsgi.apps.shop.app=gateway_apps:environ_app",
				"twod.wsgi.apps.shop.django.settings-module=no_such_project.settings");
		assertThat(analysis.getDescription())
			.contains("because the Django settings module no_such_project.settings could not be loaded")
			.contains("ModuleNotFoundError: No module named 'no_such_project'");
	}

	@Test
	void aBrokenPasteDeployFileIsReported() {
		SpringApplication application = new SpringApplication(Object.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatRuntimeException()
			.isThrownBy(() -> application.run("--spring.config.import=pastedeploy:classpath:pastedeploy/loop-a.ini",
					"--spring.config.location=optional:classpath:none.yml"))
			.satisfies((failure) -> assertThat(analyze(failure).getDescription())
				.contains("A PasteDeploy file imported with spring.config.import could not be read")
				.contains("'use' goes round in a circle"));
	}

	@Test
	void aFailingPerWorkerHookFailsStartupWithItsTraceback() {
		FailureAnalysis analysis = analyzeStartupWith("twod.wsgi.apps.shop.app=hooks_app:app",
				"twod.wsgi.apps.shop.startup.per-worker[0]=hooks_app:failing_hook");
		assertThat(analysis.getDescription())
			.contains("WSGI app 'shop' failed to start because per-worker startup hook hooks_app:failing_hook "
					+ "(number 1) failed")
			.contains("RuntimeError: this hook fails on purpose");
		assertThat(analysis.getAction()).contains("twod.wsgi.apps.shop.startup");
	}

	@Test
	void aFailingOnceHookFailsStartupWithItsTraceback() {
		FailureAnalysis analysis = analyzeRun("--twod.wsgi.apps.shop.app=hooks_app:app",
				"--twod.wsgi.apps.shop.startup.once[0]=hooks_app:failing_hook");
		assertThat(analysis.getDescription())
			.contains("WSGI app 'shop' failed to start because once startup hook hooks_app:failing_hook (number 1) failed")
			.contains("RuntimeError: this hook fails on purpose");
	}

	@Test
	void aOnceHookPastItsTimeoutFailsStartup() {
		FailureAnalysis analysis = analyzeRun("--twod.wsgi.apps.shop.app=hooks_app:app",
				"--twod.wsgi.apps.shop.startup.once[0].call=hooks_app:slow_hook",
				"--twod.wsgi.apps.shop.startup.once[0].args[0]=30",
				"--twod.wsgi.apps.shop.startup.once[0].timeout=1s");
		assertThat(analysis.getDescription())
			.contains("once startup hook hooks_app:slow_hook (number 1) ran past its timeout of 1s")
			.contains("slow_hook");
	}

	@Test
	void aFailingJavaHookFailsStartup() {
		SpringApplication application = new SpringApplication(HookApplication.class);
		assertThatRuntimeException().isThrownBy(() -> application.run("--server.port=0",
				"--spring.config.location=optional:classpath:none.yml"))
			.satisfies((failure) -> assertThat(analyze(failure).getDescription())
				.contains("The WSGI startup hook")
				.contains("java.lang.IllegalStateException: the Java hook fails on purpose"));
	}

	private static FailureAnalysis analyzeRun(String... args) {
		SpringApplication application = new SpringApplication(BareApplication.class);
		String[] all = new String[args.length + 3];
		System.arraycopy(args, 0, all, 0, args.length);
		all[args.length] = "--server.port=0";
		all[args.length + 1] = "--spring.config.location=optional:classpath:none.yml";
		all[args.length + 2] = "--twod.wsgi.apps.shop.python-path=src/test/python";
		FailureAnalysis[] analysis = new FailureAnalysis[1];
		assertThatRuntimeException().isThrownBy(() -> application.run(all))
			.satisfies((failure) -> analysis[0] = analyze(failure));
		assertThat(analysis[0]).as("a failure analysis").isNotNull();
		return analysis[0];
	}

	@org.springframework.boot.SpringBootConfiguration
	@org.springframework.boot.autoconfigure.EnableAutoConfiguration
	static class BareApplication {

	}

	@org.springframework.boot.SpringBootConfiguration
	@org.springframework.boot.autoconfigure.EnableAutoConfiguration
	static class HookApplication {

		@org.springframework.context.annotation.Bean
		io.github.twodwsgi.WsgiStartupHook failingHook() {
			return (gateway) -> {
				throw new IllegalStateException("the Java hook fails on purpose");
			};
		}

	}

	@Test
	void anInterpreterThatCannotBeFoundIsReported() {
		FailureAnalysis analysis = analyzeStartupWith("twod.wsgi.apps.shop.app=gateway_apps:environ_app",
				"twod.wsgi.apps.shop.python=/nonexistent/python9");
		assertThat(analysis.getDescription())
			.contains("WSGI app 'shop' failed to start because its Python interpreter '/nonexistent/python9' "
					+ "cannot be run");
		assertThat(analysis.getAction()).contains("twod.wsgi.apps.shop.python");
	}

	@Test
	void anInvalidConfigurationIsReportedWithTheProperty() {
		FailureAnalysis analysis = analyzeStartupWith("twod.wsgi.apps.shop.workers=1");
		assertThat(analysis.getDescription()).contains("twod.wsgi.apps.shop.app: no WSGI callable is set");
		assertThat(analysis.getAction()).contains("Update property 'twod.wsgi.apps.shop.app'");
	}

	@Test
	void aRequirementThatCannotBeFoundIsReportedWithPipsWordsAndWhatToCheck(@TempDir Path temp) throws Exception {
		Path requirements = Files.writeString(temp.resolve("requirements.txt"), "twod-no-such-package==9.9\n");
		Path cache = temp.resolve("venvs");
		FailureAnalysis analysis = analyzeStartupWith("twod.wsgi.apps.shop.app=gateway_apps:environ_app",
				"twod.wsgi.venv-cache=" + cache, "twod.wsgi.apps.shop.requirements=" + requirements,
				"twod.wsgi.apps.shop.pip-args=--no-index,--find-links," + temp);
		assertThat(analysis.getDescription())
			.contains("The Python environment of WSGI app 'shop' (requirements " + requirements + ")")
			.contains("pip install failed")
			.contains("twod-no-such-package")
			.contains("No matching distribution");
		assertThat(analysis.getAction()).contains("twod.wsgi.apps.shop.requirements")
			.contains("package index")
			.contains("PIP_INDEX_URL")
			.contains("twod.wsgi.apps.shop.pip-args");
		try (Stream<Path> left = Files.list(cache)) {
			assertThat(left.filter(Files::isDirectory)).as("environments left in the cache").isEmpty();
		}
	}

	@Test
	void aVenvThatIsNotAVirtualEnvironmentIsReported(@TempDir Path temp) {
		FailureAnalysis analysis = analyzeStartupWith("twod.wsgi.apps.shop.app=gateway_apps:environ_app",
				"twod.wsgi.apps.shop.venv=" + temp);
		assertThat(analysis.getDescription()).contains("twod.wsgi.apps.shop.venv")
			.contains("'" + temp + "' is not a virtual environment");
	}

	@Test
	void anInterpreterThatIsTooOldIsReported() {
		Path python37 = Path.of(System.getProperty("user.home"), ".pyenv", "versions", "3.7.16", "bin", "python");
		assumeTrue(Files.isExecutable(python37), "pyenv's Python 3.7 is not installed");
		FailureAnalysis analysis = analyzeStartupWith("twod.wsgi.apps.shop.app=gateway_apps:environ_app",
				"twod.wsgi.apps.shop.python=" + python37);
		assertThat(analysis.getDescription()).contains("WSGI app 'shop' needs Python 3.8 or newer")
			.contains("is Python 3.7.16");
		assertThat(analysis.getAction()).contains("twod.wsgi.apps.shop.python");
	}

	private FailureAnalysis analyzeStartupWith(String... properties) {
		FailureAnalysis[] analysis = new FailureAnalysis[1];
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			analysis[0] = analyze(context.getStartupFailure());
		});
		assertThat(analysis[0]).as("a failure analysis").isNotNull();
		return analysis[0];
	}

	private static FailureAnalysis analyze(Throwable failure) {
		// Only ours: Spring Boot's own analyzers need a bean factory to be built.
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
			}));
		for (FailureAnalyzer analyzer : analyzers) {
			if (analyzer.getClass().getPackageName().equals(FailureAnalyzersTests.class.getPackageName())) {
				FailureAnalysis analysis = analyzer.analyze(failure);
				if (analysis != null) {
					return analysis;
				}
			}
		}
		return null;
	}

}
