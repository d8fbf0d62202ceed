package io.github.twodwsgi.environment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.twodwsgi.testsupport.TestWheels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar app.jar --twod.wsgi.prepare-only=true}, as a container build runs it: the
 * environments are built and the JVM exits 0 with no worker and no web server; the next start, with no
 * package index left ({@code PIP_NO_INDEX=1}, the wheel directory gone), serves from them.
 */
class PrepareOnlyTests {

	private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	@TempDir
	Path temp;

	@Test
	void prepareOnlyBuildsTheEnvironmentsAndExits0AndTheNextStartNeedsNoIndex() throws Exception {
		Path wheels = this.temp.resolve("wheels");
		TestWheels.write(wheels, "twod_tiny", "1.0", "GREETING = 'hello from a prepared environment'\n");
		Path requirements = Files.writeString(this.temp.resolve("requirements.txt"), "twod-tiny==1.0\n");
		Path cache = this.temp.resolve("venvs");
		List<String> app = List.of("--twod.wsgi.venv-cache=" + cache, "--twod.wsgi.apps.tiny.app=environment_app:app",
				"--twod.wsgi.apps.tiny.python-path=src/test/python", "--twod.wsgi.apps.tiny.workers=1",
				"--twod.wsgi.apps.tiny.requirements=" + requirements,
				"--twod.wsgi.apps.tiny.pip-args=--no-index,--find-links," + wheels, "--server.port=0",
				"--spring.autoconfigure.exclude=" + System.getProperty("spring.autoconfigure.exclude", ""));

		Process prepare = start(app, "--twod.wsgi.prepare-only=true");
		String prepared = new String(prepare.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(prepare.waitFor(120, TimeUnit.SECONDS)).isTrue();
		assertThat(prepare.exitValue()).as(prepared).isZero();
		assertThat(prepared).contains("Prepared the Python environments of 1 WSGI app(s)")
			.doesNotContain("Starting 1 worker")
			.doesNotContain("Tomcat started");
		try (Stream<Path> environments = Files.list(cache)) {
			assertThat(environments.filter(Files::isDirectory)
				.filter((directory) -> Files.exists(directory.resolve(PythonEnvironments.COMPLETE_MARKER)))).hasSize(1);
		}

		deleteRecursively(wheels);
		Process serve = start(app, "--twod.wsgi.prepare-only=false");
		try {
			int port = awaitPort(serve);
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/tiny/")).build(),
						HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).contains("hello from a prepared environment");
		}
		finally {
			serve.destroy();
			serve.waitFor(30, TimeUnit.SECONDS);
		}
	}

	@Test
	void twoJvmsPreparingTheSameEnvironmentAtOnceBuildItOnce() throws Exception {
		Path wheels = this.temp.resolve("wheels");
		TestWheels.write(wheels, "twod_tiny", "1.0", "GREETING = 'hello'\n");
		Path requirements = Files.writeString(this.temp.resolve("requirements.txt"), "twod-tiny==1.0\n");
		List<String> app = List.of("--twod.wsgi.venv-cache=" + this.temp.resolve("venvs"),
				"--twod.wsgi.apps.tiny.app=environment_app:app", "--twod.wsgi.apps.tiny.python-path=src/test/python",
				"--twod.wsgi.apps.tiny.requirements=" + requirements,
				"--twod.wsgi.apps.tiny.pip-args=--no-index,--find-links," + wheels);
		Process first = start(app, "--twod.wsgi.prepare-only=true");
		Process second = start(app, "--twod.wsgi.prepare-only=true");
		String output = new String(first.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
				+ new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(first.waitFor(120, TimeUnit.SECONDS) && second.waitFor(120, TimeUnit.SECONDS)).isTrue();
		assertThat(first.exitValue()).as(output).isZero();
		assertThat(second.exitValue()).as(output).isZero();
		// The file lock: one JVM built it, the other waited and found it complete.
		assertThat(Pattern.compile("Building the Python environment of WSGI app 'tiny'").matcher(output).results())
			.as(output).hasSize(1);
	}

	private static Process start(List<String> app, String mode) throws IOException {
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
				PreparedApplication.class.getName()));
		command.addAll(app);
		command.add(mode);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("PIP_NO_INDEX", "1");
		return builder.start();
	}

	private static int awaitPort(Process serve) throws IOException {
		BufferedReader output = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
		List<String> lines = new ArrayList<>();
		String line;
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while ((line = output.readLine()) != null && System.nanoTime() < deadline) {
			lines.add(line);
			Matcher port = PORT.matcher(line);
			if (port.find()) {
				Thread drain = new Thread(() -> {
					try {
						output.transferTo(Writer.nullWriter());
					}
					catch (IOException ex) {
						// The JVM is gone.
					}
				});
				drain.setDaemon(true);
				drain.start();
				return Integer.parseInt(port.group(1));
			}
		}
		throw new AssertionError("the app did not start:\n" + String.join("\n", lines));
	}

	private static void deleteRecursively(Path directory) throws IOException {
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

}
