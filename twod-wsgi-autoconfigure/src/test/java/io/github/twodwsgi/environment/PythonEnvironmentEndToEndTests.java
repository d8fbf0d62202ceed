package io.github.twodwsgi.environment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.github.twodwsgi.WsgiGateway;
import io.github.twodwsgi.WsgiResponse;
import io.github.twodwsgi.autoconfigure.WsgiAutoConfiguration;
import io.github.twodwsgi.testsupport.TestWheels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apps whose workers run in virtual environments: one built from the app's requirements (offline,
 * from a wheel directory), and an existing one given as {@code venv}.
 */
class PythonEnvironmentEndToEndTests {

	@TempDir
	static Path wheels;

	@TempDir
	static Path cache;

	@TempDir
	static Path work;

	@BeforeAll
	static void wheelDirectory() throws IOException {
		TestWheels.write(wheels, "twod_tiny", "1.0", "GREETING = 'hello from a wheel'\n");
		Files.writeString(work.resolve("requirements.txt"), "twod-tiny==1.0\n");
	}

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsgiAutoConfiguration.class))
		.withPropertyValues("twod.wsgi.venv-cache=" + cache, "twod.wsgi.apps.tiny.app=environment_app:app",
				"twod.wsgi.apps.tiny.python-path=src/test/python", "twod.wsgi.apps.tiny.workers=1");

	@Test
	void theWorkersOfAnAppWithRequirementsRunInTheEnvironmentBuiltFromThem() {
		this.contextRunner
			.withPropertyValues("twod.wsgi.apps.tiny.requirements=" + work.resolve("requirements.txt"),
					"twod.wsgi.apps.tiny.pip-args=--no-index,--find-links," + wheels)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Map<String, Object> seen = call(context.getBean(WsgiGateway.class));
				assertThat(seen).containsEntry("greeting", "hello from a wheel");
				assertThat(Path.of((String) seen.get("prefix"))).startsWith(cache);
			});
	}

	@Test
	void anExistingVirtualEnvironmentIsUsedAsItIs() throws Exception {
		Path venv = work.resolve("existing-venv");
		run("python3", "-m", "venv", venv.toString());
		run(venv.resolve("bin/python").toString(), "-m", "pip", "install", "-q", "--no-index", "--find-links",
				wheels.toString(), "twod-tiny==1.0");
		this.contextRunner.withPropertyValues("twod.wsgi.apps.tiny.venv=" + venv).run((context) -> {
			assertThat(context).hasNotFailed();
			Map<String, Object> seen = call(context.getBean(WsgiGateway.class));
			assertThat(seen).containsEntry("greeting", "hello from a wheel")
				.containsEntry("prefix", venv.toString());
		});
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> call(WsgiGateway gateway) throws IOException {
		try (WsgiResponse response = gateway.get("tiny", "/")) {
			assertThat(response.status()).isEqualTo(200);
			return JsonMapper.builder().build().readValue(response.body().readAllBytes(), Map.class);
		}
	}

	private static void run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as(output).isZero();
	}

}
