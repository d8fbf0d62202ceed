package io.github.twodwsgi.environment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import io.github.twodwsgi.WsgiGateway;
import io.github.twodwsgi.WsgiResponse;
import io.github.twodwsgi.autoconfigure.WsgiAutoConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The oldest and the newest CPython the worker supports, and one in between, each serving with a
 * fork server and threads (pyenv's interpreters of this machine; skipped where pyenv has not that
 * version).
 */
class InterpreterVersionsTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsgiAutoConfiguration.class))
		.withPropertyValues("twod.wsgi.apps.versioned.app=worker_model_apps:app",
				"twod.wsgi.apps.versioned.python-path=src/test/python", "twod.wsgi.apps.versioned.workers=2",
				"twod.wsgi.apps.versioned.threads=2");

	@ParameterizedTest
	@ValueSource(strings = { "3.8", "3.12", "3.13" })
	void theWorkerServesOn(String version) throws IOException {
		Path python = pyenv(version);
		assumeTrue(python != null, "pyenv has no Python " + version + " here");
		this.contextRunner.withPropertyValues("twod.wsgi.apps.versioned.python=" + python).run((context) -> {
			assertThat(context).hasNotFailed();
			WsgiGateway gateway = context.getBean(WsgiGateway.class);
			assertThat(gateway.application("versioned").getPool().workers())
				.allSatisfy((worker) -> assertThat(worker.pythonVersion()).startsWith(version + "."));
			try (WsgiResponse response = gateway.get("versioned", "/")) {
				assertThat(response.status()).isEqualTo(200);
				Map<?, ?> seen = JsonMapper.builder().build().readValue(response.body().readAllBytes(), Map.class);
				assertThat(seen.get("multithread")).isEqualTo(true);
				assertThat(seen.get("importedBy")).isEqualTo(seen.get("ppid"));
			}
		});
	}

	private static Path pyenv(String version) throws IOException {
		Path versions = Path.of(System.getProperty("user.home"), ".pyenv", "versions");
		if (!Files.isDirectory(versions)) {
			return null;
		}
		try (Stream<Path> installed = Files.list(versions)) {
			return installed.filter((dir) -> dir.getFileName().toString().startsWith(version + "."))
				.map((dir) -> dir.resolve("bin").resolve("python"))
				.filter(Files::isExecutable)
				.findFirst()
				.orElse(null);
		}
	}

}
