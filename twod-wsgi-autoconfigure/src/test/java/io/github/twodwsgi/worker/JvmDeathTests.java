package io.github.twodwsgi.worker;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kill -9} of the JVM: no Python process of it outlives it, whether the workers were forked by
 * a fork server (preload) or started one by one, with one thread or several.
 */
class JvmDeathTests {

	@ParameterizedTest
	@CsvSource({ "preload, 1", "preload, 3", "spawn, 1", "spawn, 3" })
	void everyPythonProcessIsGoneWithin10SecondsOfTheJvm(String mode, int threads) throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		Process jvm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				PoolMain.class.getName(), mode, String.valueOf(threads))
			.redirectErrorStream(true)
			.start();
		List<Long> python = new ArrayList<>();
		try {
			BufferedReader output = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
			String line;
			while ((line = output.readLine()) != null && !line.startsWith("READY ")) {
				// Spring-less logging of the pool, until it is ready.
			}
			assertThat(line).as("the pool's JVM reported its workers").isNotNull();
			for (String pid : line.substring("READY ".length()).split(" ")) {
				if (!pid.equals("-1")) {
					python.add(Long.valueOf(pid));
				}
			}
			assertThat(python).hasSize(mode.equals("preload") ? 3 : 2);
			assertThat(python).allMatch(JvmDeathTests::isAlive);
			jvm.destroyForcibly();
			jvm.waitFor();
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
				.untilAsserted(() -> assertThat(python).noneMatch(JvmDeathTests::isAlive));
		}
		finally {
			jvm.destroyForcibly();
			python.forEach((pid) -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
		}
	}

	private static boolean isAlive(long pid) {
		return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
	}

}
