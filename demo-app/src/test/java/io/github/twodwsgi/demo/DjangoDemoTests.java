package io.github.twodwsgi.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.twodwsgi.test.TemporaryDjangoDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The demo with the "django" profile: its Django project shows settings merged from
 * application-django.yml and demo-django.ini, and the tables its migrate once hook created in a
 * throw-away database ({@link TemporaryDjangoDatabase}). Needs Debian's python3-django, which CI
 * installs.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("django")
@TemporaryDjangoDatabase(apps = "django")
class DjangoDemoTests {

	@LocalServerPort
	int port;

	@BeforeAll
	static void djangoIsInstalled() throws Exception {
		Process process = new ProcessBuilder("/usr/bin/python3", "-c", "import django").start();
		boolean installed = process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
		assumeTrue(installed || "true".equalsIgnoreCase(System.getenv("CI")),
				"Django is not installed for /usr/bin/python3: apt-get install -y python3-django");
	}

	@Test
	@SuppressWarnings("unchecked")
	void djangoSeesTheMergedSettings() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/django/")).build(),
					BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		Map<String, Object> settings = JsonMapper.builder().build().readValue(response.body(), Map.class);
		assertThat(settings).containsEntry("SITE_TITLE", "set in application-django.yml")
			.containsEntry("WELCOME", "Welcome, set in demo-django.ini")
			.containsEntry("DEBUG", true)
			.containsEntry("PAGE_SIZE", 20)
			.containsEntry("ALLOWED_HOSTS", List.of("localhost", "127.0.0.1", "demo.example.org"))
			.containsEntry("ADMINS", List.of(List.of("Ada", "ada@example.org"), List.of("Grace", "grace@example.org")));
		// The once hook ran migrate against the test's throw-away database.
		assertThat((List<String>) settings.get("tables")).contains("django_content_type", "django_migrations");
	}

	@Test
	@SuppressWarnings("unchecked")
	void itsWorkerServesFourRequestsAtOnce() throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		HttpResponse<String> response = client.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/wsgi/django")).build(),
				BodyHandlers.ofString());
		Map<String, Object> django = JsonMapper.builder().build().readValue(response.body(), Map.class);
		assertThat(django).containsEntry("threads", 4).containsEntry("preload", true);
		List<Map<String, Object>> workers = (List<Map<String, Object>>) django.get("workers");
		assertThat(workers).hasSize(1);
		long pid = ((Number) workers.get(0).get("pid")).longValue();
		assertThat(ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
			.hasValue(((Number) django.get("forkServerPid")).longValue());
		Map<String, Object> health = JsonMapper.builder().build().readValue(client.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/health/wsgi/django"))
					.build(),
				BodyHandlers.ofString()).body(), Map.class);
		assertThat((Map<String, Object>) health.get("details")).containsEntry("threads", 4)
			.containsEntry("busyThreads", 0);
		Map<String, Object> idleThreads = JsonMapper.builder().build().readValue(client.send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port
					+ "/actuator/metrics/wsgi.threads?tag=app:django&tag=state:idle"))
			.build(), BodyHandlers.ofString()).body(), Map.class);
		assertThat((List<Map<String, Object>>) idleThreads.get("measurements"))
			.anySatisfy((measurement) -> assertThat(((Number) measurement.get("value")).intValue()).isEqualTo(4));
	}

	@Test
	void theFlaskAppStillRunsBesideIt() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/flask/settings")).build(),
					BodyHandlers.ofString());
		assertThat(response.body()).contains("Hello from application.yml");
	}

}
