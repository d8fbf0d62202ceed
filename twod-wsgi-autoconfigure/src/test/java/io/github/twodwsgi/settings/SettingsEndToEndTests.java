package io.github.twodwsgi.settings;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Map;

import io.github.twodwsgi.WsgiApplication;
import io.github.twodwsgi.testsupport.RequiresDjango;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Django project (Debian's Django under /usr/bin/python3) and Flask apps whose settings come
 * from YAML, a profile, an environment variable and a PasteDeploy file, in Spring's precedence.
 */
@SpringBootTest(classes = SettingsEndToEndTests.SettingsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.config.name=settings-test")
@ContextConfiguration(initializers = SettingsEndToEndTests.EnvironmentVariable.class)
@ExtendWith(OutputCaptureExtension.class)
@RequiresDjango
class SettingsEndToEndTests {

	static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("djangoWsgiApplication")
	WsgiApplication django;

	@Test
	void eachSourceOverridesTheOneBelowItAsSpringSays() throws Exception {
		assertThat(djangoSettings("FROM_BASE", "FROM_YAML", "OVERRIDDEN_BY_YAML", "OVERRIDDEN_BY_INI",
				"OVERRIDDEN_BY_PROFILE", "OVERRIDDEN_BY_ENV"))
			.containsEntry("FROM_BASE", "base")
			.containsEntry("FROM_YAML", "yaml")
			.containsEntry("OVERRIDDEN_BY_YAML", "yaml")
			.containsEntry("OVERRIDDEN_BY_INI", "ini")
			.containsEntry("OVERRIDDEN_BY_PROFILE", "ini")
			.containsEntry("OVERRIDDEN_BY_ENV", "env")
			.containsEntry("SETTINGS_MODULE", "twod_wsgi.django_settings");
	}

	@Test
	void debugComesFromTheIniDefaultSection() throws Exception {
		assertThat(djangoSettings("DEBUG")).containsEntry("DEBUG", true);
	}

	@Test
	void aListSettingOfTheModuleIsExtended() throws Exception {
		assertThat(djangoSettings("INSTALLED_APPS")).containsEntry("INSTALLED_APPS",
				List.of("django.contrib.contenttypes", "django.contrib.auth"));
	}

	@Test
	void yamlTypesReachDjango() throws Exception {
		assertThat(djangoSettings("PAGE_SIZE", "NESTED")).containsEntry("PAGE_SIZE", 25)
			.containsEntry("NESTED", Map.of("inner", Map.of("deep", List.of(1, 2))));
	}

	@Test
	void javaSeesWhatPythonSees() throws Exception {
		Map<String, Object> python = djangoSettings("FROM_YAML", "OVERRIDDEN_BY_ENV", "PAGE_SIZE", "DEBUG");
		WsgiSettings settings = this.django.getSettings();
		assertThat(settings.get("FROM_YAML")).isEqualTo(python.get("FROM_YAML"));
		assertThat(settings.get("OVERRIDDEN_BY_ENV")).isEqualTo(python.get("OVERRIDDEN_BY_ENV"));
		assertThat(settings.get("PAGE_SIZE")).isEqualTo(python.get("PAGE_SIZE"));
		assertThat(settings.get("DEBUG")).isEqualTo(python.get("DEBUG"));
		assertThat(settings.sources().get("OVERRIDDEN_BY_ENV")).contains("TWOD_WSGI_APPS_DJANGO_SETTINGS_OVERRIDDEN_BY_ENV");
		assertThat(settings.masked()).containsEntry("SECRET_KEY", WsgiSettings.MASK);
	}

	@Test
	void secretsReachDjangoButNotTheLog(CapturedOutput output) throws Exception {
		assertThat(djangoSettings("SECRET_KEY")).containsEntry("SECRET_KEY", "yaml-secret-value");
		assertThat(output.getAll()).doesNotContain("yaml-secret-value");
	}

	@Test
	void flaskAppConfigGetsTheSettings() throws Exception {
		assertThat(get("/flask/")).containsEntry("greeting", "hello from yaml").containsEntry("max_items", 5);
	}

	@Test
	void anAppFactoryReadsTheSettingsBeforeItRuns() throws Exception {
		assertThat(get("/factory/")).containsEntry("title", "made with settings")
			.containsEntry("config_title", "made with settings")
			.containsEntry("all", List.of("TITLE"));
	}

	private Map<String, Object> djangoSettings(String... names) throws Exception {
		return get("/django/settings/?names=" + String.join(",", names));
	}

	@SuppressWarnings("unchecked")
	Map<String, Object> get(String path) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readValue(response.body(), Map.class);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SettingsApplication {

	}

	/** Stands in for an environment variable, at the precedence of the process environment. */
	static class EnvironmentVariable implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			context.getEnvironment()
				.getPropertySources()
				.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						new SystemEnvironmentPropertySource("testEnvironment",
								Map.of("TWOD_WSGI_APPS_DJANGO_SETTINGS_OVERRIDDEN_BY_ENV", "env")));
		}

	}

}
