package io.github.twodwsgi.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.twodwsgi.WsgiApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping the application finishes in-flight Python requests, then stops every worker process.
 */
class ShutdownTests {

	@Test
	void inFlightRequestsFinishAndEveryWorkerIsStopped() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(BareApplication.class).run(
				"--server.port=0", "--spring.config.location=optional:classpath:none.yml",
				"--twod.wsgi.apps.slow.app=gateway_apps:behaviour_app",
				"--twod.wsgi.apps.slow.python-path=src/test/python", "--twod.wsgi.apps.slow.workers=2");
		List<Long> pids = context.getBean(WsgiApplication.class).getPool().pids();
		assertThat(pids).hasSize(2);
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		HttpClient client = HttpClient.newHttpClient();
		CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
				HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/slow/sleep?seconds=2")).build(),
				BodyHandlers.ofString());
		Thread.sleep(500);
		context.close();
		HttpResponse<String> response = inFlight.get();
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("slept");
		assertThat(pids).allSatisfy((pid) -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
			.as("worker %d", pid)
			.isEmpty());
	}

	@Test
	void workersThatDoNotExitAreKilled() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(BareApplication.class).run(
				"--server.port=0", "--spring.config.location=optional:classpath:none.yml",
				"--twod.wsgi.apps.stuck.app=gateway_apps:behaviour_app",
				"--twod.wsgi.apps.stuck.python-path=src/test/python", "--twod.wsgi.apps.stuck.workers=1");
		List<Long> pids = context.getBean(WsgiApplication.class).getPool().pids();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/stuck/linger")).build(),
					BodyHandlers.ofString());
		assertThat(response.body()).isEqualTo("lingering");
		long start = System.nanoTime();
		context.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
		assertThat(pids).allSatisfy((pid) -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
			.as("worker %d", pid)
			.isEmpty());
	}


	/** An app with nothing but the auto-configuration. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class BareApplication {

	}

}
