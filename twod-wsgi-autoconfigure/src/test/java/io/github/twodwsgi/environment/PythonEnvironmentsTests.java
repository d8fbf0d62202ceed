package io.github.twodwsgi.environment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.twodwsgi.testsupport.TestWheels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Virtual environments built from requirements with the real interpreter, venv and pip, offline: from
 * a wheel directory written by the test.
 */
class PythonEnvironmentsTests {

	@TempDir
	static Path wheels;

	@TempDir
	Path cache;

	private static List<String> offline;

	private static PythonInterpreter python;

	@BeforeAll
	static void wheelDirectory() throws IOException {
		TestWheels.write(wheels, "twod_tiny", "1.0", "GREETING = 'hello from a wheel'\n");
		TestWheels.write(wheels, "twod_tiny", "2.0", "GREETING = 'hello from the second wheel'\n");
		offline = List.of("--no-index", "--find-links", wheels.toString());
		python = PythonInterpreter.probe("test", "python3");
	}

	@Test
	void anEnvironmentIsBuiltOnceAndReusedByEveryLaterStartAndEveryAppThatAsksForTheSame() throws Exception {
		PythonEnvironments environments = new PythonEnvironments(this.cache);
		Requirements requirements = new Requirements("twod-tiny==1.0\n", "requirements.txt");
		PythonEnvironment first = environments.prepare("one", python, requirements, offline);
		assertThat(first.built()).isTrue();
		assertThat(run(first.python(), "import twod_tiny; print(twod_tiny.GREETING)")).isEqualTo("hello from a wheel");
		long start = System.nanoTime();
		PythonEnvironment again = new PythonEnvironments(this.cache).prepare("two", python,
				new Requirements("twod-tiny==1.0\n", "other/requirements.txt"), offline);
		assertThat(again.built()).as("pip ran again").isFalse();
		assertThat(again.directory()).isEqualTo(first.directory());
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(100);
		PythonEnvironment changed = environments.prepare("one", python, new Requirements("twod-tiny==2.0\n", "r"),
				offline);
		assertThat(changed.built()).isTrue();
		assertThat(changed.directory()).isNotEqualTo(first.directory());
		assertThat(run(changed.python(), "import twod_tiny; print(twod_tiny.GREETING)"))
			.isEqualTo("hello from the second wheel");
	}

	@Test
	void twoStartsAskingForTheSameEnvironmentAtOnceBuildItOnce() throws Exception {
		Requirements requirements = new Requirements("twod-tiny==1.0\n", "requirements.txt");
		ExecutorService starts = Executors.newFixedThreadPool(2);
		try {
			// Two PythonEnvironments, as two JVMs would have: the file lock keeps them apart.
			Future<PythonEnvironment> first = starts.submit(
					() -> new PythonEnvironments(this.cache).prepare("one", python, requirements, offline));
			Future<PythonEnvironment> second = starts.submit(
					() -> new PythonEnvironments(this.cache).prepare("two", python, requirements, offline));
			PythonEnvironment one = first.get(120, TimeUnit.SECONDS);
			PythonEnvironment two = second.get(120, TimeUnit.SECONDS);
			assertThat(one.directory()).isEqualTo(two.directory());
			assertThat(List.of(one.built(), two.built())).containsExactlyInAnyOrder(true, false);
			assertThat(run(two.python(), "import twod_tiny; print(twod_tiny.GREETING)")).isEqualTo("hello from a wheel");
		}
		finally {
			starts.shutdownNow();
		}
	}

	@Test
	void anInterruptedBuildIsNeverTakenForCompleteAndIsBuiltAgain() throws Exception {
		PythonEnvironments environments = new PythonEnvironments(this.cache);
		Requirements requirements = new Requirements("twod-tiny==1.0\n", "requirements.txt");
		Path directory = this.cache.resolve(PythonEnvironments.key(python, requirements, offline));
		// What a JVM killed mid-install leaves: an environment without its marker.
		Files.createDirectories(directory.resolve("bin"));
		Files.writeString(directory.resolve("pyvenv.cfg"), "home = /nowhere\n");
		PythonEnvironment environment = environments.prepare("one", python, requirements, offline);
		assertThat(environment.built()).isTrue();
		assertThat(run(environment.python(), "import twod_tiny; print(twod_tiny.GREETING)"))
			.isEqualTo("hello from a wheel");
	}

	@Test
	void aRequirementThatCannotBeFoundFailsNamingItWithPipsWordsAndLeavesNothingBehind() throws Exception {
		PythonEnvironments environments = new PythonEnvironments(this.cache);
		assertThatExceptionOfType(PythonEnvironmentException.class)
			.isThrownBy(() -> environments.prepare("shop", python,
					new Requirements("twod-no-such-package==9.9\n", "classpath:python/requirements.txt"), offline))
			.withMessageContaining("WSGI app 'shop'")
			.withMessageContaining("classpath:python/requirements.txt")
			.satisfies((ex) -> assertThat(ex.getOutput()).contains("twod-no-such-package")
				.contains("No matching distribution"));
		try (Stream<Path> left = Files.list(this.cache)) {
			assertThat(left.filter(Files::isDirectory)).as("environments left in the cache").isEmpty();
		}
	}

	@Test
	void anInterpreterOlderThan38IsRefusedNamingItsVersion() {
		Path python37 = Path.of(System.getProperty("user.home"), ".pyenv", "versions", "3.7.16", "bin", "python");
		assumeTrue(Files.isExecutable(python37), "pyenv's Python 3.7 is not installed");
		assertThatExceptionOfType(UnsupportedPythonException.class)
			.isThrownBy(() -> PythonInterpreter.probe("old", python37.toString()))
			.withMessageContaining("WSGI app 'old' needs Python 3.8 or newer")
			.withMessageContaining("is Python 3.7.16");
	}

	private static String run(Path python, String code) throws Exception {
		Process process = new ProcessBuilder(python.toString(), "-c", code).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

}
