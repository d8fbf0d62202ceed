package io.github.twodwsgi.settings;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same apps with the profile "quiet", whose file overrides the PasteDeploy file and the YAML.
 */
@SpringBootTest(classes = SettingsEndToEndTests.SettingsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.config.name=settings-test")
@ContextConfiguration(initializers = SettingsEndToEndTests.EnvironmentVariable.class)
@ActiveProfiles("quiet")
class QuietProfileSettingsTests extends SettingsEndToEndTests {

	@Override
	@Test
	void eachSourceOverridesTheOneBelowItAsSpringSays() throws Exception {
		assertThat(get("/django/settings/?names=OVERRIDDEN_BY_INI,OVERRIDDEN_BY_PROFILE,OVERRIDDEN_BY_ENV"))
			.containsEntry("OVERRIDDEN_BY_INI", "ini")
			.containsEntry("OVERRIDDEN_BY_PROFILE", "profile")
			.containsEntry("OVERRIDDEN_BY_ENV", "env");
	}

	@Override
	@Test
	void debugComesFromTheIniDefaultSection() throws Exception {
		assertThat(get("/django/settings/?names=DEBUG")).containsEntry("DEBUG", false);
	}

	@Test
	void debugIsOffInThisProfile() throws Exception {
		Map<String, Object> settings = get("/django/settings/?names=DEBUG");
		assertThat(settings).containsEntry("DEBUG", false);
	}

}
