package io.github.twodwsgi.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the Python unit tests of the worker package ({@code src/test/python/test_*.py}) with the
 * interpreter the other tests use, warnings turned into errors.
 */
class PythonWorkerTests {

	@Test
	void pythonUnitTestsPass() throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder("python3", "-W", "error", "-m", "unittest", "discover", "-s",
				"src/test/python", "-p", "test_*.py", "-v")
			.redirectErrorStream(true);
		builder.environment()
			.put("PYTHONPATH", Path.of("src/main/resources/io/github/twodwsgi/python").toAbsolutePath() + ":"
					+ Path.of("src/test/python").toAbsolutePath());
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		System.out.println(output);
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output).containsPattern("Ran [1-9][0-9]* tests").contains("\nOK");
	}

}
