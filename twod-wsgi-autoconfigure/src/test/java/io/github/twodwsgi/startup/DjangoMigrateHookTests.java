package io.github.twodwsgi.startup;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.Map;

import io.github.twodwsgi.WsgiApplication;
import io.github.twodwsgi.test.TemporaryDjangoDatabase;
import io.github.twodwsgi.testsupport.RequiresDjango;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Django's {@code migrate} as a once hook, against a throw-away SQLite database that
 * {@link TemporaryDjangoDatabase} gives the test: the app then uses the tables it created.
 */
@SpringBootTest(classes = DjangoMigrateHookTests.DjangoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.config.name=django-hooks-test")
@TemporaryDjangoDatabase(apps = "django")
@RequiresDjango
class DjangoMigrateHookTests {

	@LocalServerPort
	int port;

	@Autowired
	WsgiApplication django;

	@Test
	@SuppressWarnings("unchecked")
	void migrateCreatedTheTablesTheAppUses() throws Exception {
		Map<String, Object> first = json(get("/django/notes/?text=first"));
		Map<String, Object> second = json(get("/django/notes/?text=second"));
		assertThat(first).containsEntry("count", 1);
		assertThat(second).containsEntry("count", 2);
		String database = (String) second.get("database");
		assertThat(database).contains("twod-wsgi-test-db-").endsWith("django.sqlite3");
		assertThat(Path.of(database)).exists();
		Map<String, Object> databases = (Map<String, Object>) this.django.getSettings().get("DATABASES");
		assertThat(((Map<String, Object>) databases.get("default")).get("NAME")).isEqualTo(database);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					BodyHandlers.ofString());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> json(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JsonMapper.builder().build().readValue(response.body(), Map.class);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class DjangoApplication {

	}

}
