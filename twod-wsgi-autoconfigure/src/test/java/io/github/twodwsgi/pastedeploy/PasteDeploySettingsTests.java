package io.github.twodwsgi.pastedeploy;

import java.util.List;
import java.util.Map;

import io.github.twodwsgi.settings.InvalidWsgiSettingException;
import io.github.twodwsgi.settings.SettingType;
import io.github.twodwsgi.settings.SettingsResolver;
import io.github.twodwsgi.settings.SettingsTypes;
import io.github.twodwsgi.settings.WsgiSettings;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PasteDeploy {@code .ini} files as settings, read directly and through {@code spring.config.import}.
 */
class PasteDeploySettingsTests {

	@Test
	void appSectionsBecomeSettingsInCapitals() {
		Map<String, Object> properties = properties("site.ini");
		assertThat(properties).containsEntry("twod.wsgi.apps.shop.settings.SECRET_KEY", "from-ini")
			.containsEntry("twod.wsgi.apps.shop.settings.NAME", "Bob's")
			.containsEntry("twod.wsgi.apps.other.settings.TITLE", "other")
			.doesNotContainKey("twod.wsgi.apps.shop.settings.USE")
			.doesNotContainKey("twod.wsgi.apps.shop.settings.BASE_GLOBAL");
		assertThat(properties.keySet()).noneMatch((key) -> key.contains("ignored"));
	}

	@Test
	void theDefaultSectionGivesDebugAndTheDjangoSettingsModuleAndSetOverridesThem() {
		Map<String, Object> properties = properties("site.ini");
		assertThat(properties).containsEntry("twod.wsgi.apps.shop.settings.DEBUG", "true")
			.containsEntry("twod.wsgi.apps.other.settings.DEBUG", "false")
			.containsEntry("twod.wsgi.apps.shop.django.settings-module", "djangoproject.settings");
	}

	@Test
	void useInheritsFromAnotherFileAndOwnOptionsWin() {
		Map<String, Object> properties = properties("site.ini");
		assertThat(properties).containsEntry("twod.wsgi.apps.shop.settings.INHERITED", "from base")
			.containsEntry("twod.wsgi.apps.shop.settings.SECRET_KEY", "from-ini");
	}

	@Test
	void interpolationFindsOptionsHereAndTheFile() throws Exception {
		Map<String, Object> properties = properties("site.ini");
		String here = new ClassPathResource("pastedeploy/site.ini").getFile().getParent();
		assertThat(properties).containsEntry("twod.wsgi.apps.shop.settings.SITE_NAME", "Bob's shop")
			.containsEntry("twod.wsgi.apps.shop.settings.TEMPLATES", here + "/templates")
			.containsEntry("twod.wsgi.apps.shop.settings.THIS_FILE", here + "/site.ini")
			.containsEntry("twod.wsgi.apps.shop.settings.PERCENT", "100%");
	}

	@Test
	void continuationLinesAndTypeListsFollowTheOriginal() {
		Map<String, Object> properties = properties("site.ini");
		assertThat(properties).containsEntry("twod.wsgi.apps.shop.settings.PREFIXES", "/a /b\n/c")
			.containsEntry("twod.wsgi.apps.shop.settings-types.booleans[0]", "FEATURE_X")
			.containsEntry("twod.wsgi.apps.shop.settings-types.lists[0]", "PREFIXES");
	}

	@Test
	void importedWithSpringTheFileTypesAndConvertsSettings() {
		try (ConfigurableApplicationContext context = run("pastedeploy:classpath:pastedeploy/site.ini")) {
			ConfigurableEnvironment environment = context.getEnvironment();
			Map<SettingType, List<String>> declared = Map.of(SettingType.BOOLEAN,
					Binder.get(environment).bindOrCreate("twod.wsgi.apps.shop.settings-types.booleans",
							org.springframework.boot.context.properties.bind.Bindable.listOf(String.class)),
					SettingType.LIST, Binder.get(environment)
						.bindOrCreate("twod.wsgi.apps.shop.settings-types.lists",
								org.springframework.boot.context.properties.bind.Bindable.listOf(String.class)));
			WsgiSettings settings = SettingsResolver.resolve(environment, "shop", new SettingsTypes(declared));
			assertThat(settings.values()).containsEntry("DEBUG", true)
				.containsEntry("FEATURE_X", true)
				.containsEntry("PREFIXES", List.of("/a", "/b", "/c"))
				.containsEntry("SECRET_KEY", "from-ini");
			assertThat(settings.sources().get("SECRET_KEY")).contains("site.ini").contains(":1");
		}
	}

	@Test
	void aMissingFileFailsUnlessOptional() {
		assertThatThrownBy(() -> run("pastedeploy:classpath:pastedeploy/nowhere.ini").close())
			.hasMessageContaining("nowhere.ini");
		run("optional:pastedeploy:classpath:pastedeploy/nowhere.ini").close();
	}

	@Test
	void aBadDebugFlagIsReportedWithItsLine() {
		try (ConfigurableApplicationContext context = run("pastedeploy:classpath:pastedeploy/bad-debug.ini")) {
			assertThatExceptionOfType(InvalidWsgiSettingException.class)
				.isThrownBy(() -> SettingsResolver.resolve(context.getEnvironment(), "shop", new SettingsTypes(Map.of())))
				.withMessageContaining("DEBUG")
				.withMessageContaining("'perhaps'")
				.withMessageContaining("bad-debug.ini");
		}
	}

	@Test
	void errorsAreClear() {
		assertThatExceptionOfType(InvalidPasteDeployFileException.class).isThrownBy(() -> properties("loop-a.ini"))
			.withMessageContaining("'use' goes round in a circle")
			.withMessageContaining("loop-a.ini] [app:a] -> class path resource [pastedeploy/loop-b.ini] [app:b] -> ");
		assertThatExceptionOfType(InvalidPasteDeployFileException.class).isThrownBy(() -> properties("broken-use.ini"))
			.withMessageContaining("cannot read 'missing.ini'");
		assertThatExceptionOfType(InvalidPasteDeployFileException.class).isThrownBy(() -> properties("egg.ini"))
			.withMessageContaining("only 'config:other.ini#name' references");
		assertThatExceptionOfType(InvalidPasteDeployFileException.class)
			.isThrownBy(() -> properties("unknown-reference.ini"))
			.withMessageContaining("%(nobody)s names no option");
	}

	private static Map<String, Object> properties(String file) {
		Map<String, Object> properties = new java.util.LinkedHashMap<>();
		PasteDeploySettings.properties(new ClassPathResource("pastedeploy/" + file))
			.forEach((name, value) -> properties.put(name,
					(value instanceof org.springframework.boot.origin.OriginTrackedValue tracked) ? tracked.getValue()
							: value));
		return properties;
	}

	private static ConfigurableApplicationContext run(String importLocation) {
		SpringApplication application = new SpringApplication(Object.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		return application.run("--spring.config.import=" + importLocation, "--spring.main.banner-mode=off",
				"--spring.config.location=optional:classpath:none.yml");
	}

}
