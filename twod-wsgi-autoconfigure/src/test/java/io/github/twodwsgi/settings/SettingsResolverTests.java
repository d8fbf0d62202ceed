package io.github.twodwsgi.settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Settings collected from property sources in Spring's precedence, with the environment variable rule
 * and conversions by type.
 */
class SettingsResolverTests {

	private final StandardEnvironment environment = new StandardEnvironment();

	private final SettingsTypes noDeclarations = new SettingsTypes(Map.of());

	@Test
	void keysKeepTheirCaseAndYamlTypesPassThrough() {
		add("yaml", Map.of("twod.wsgi.apps.shop.settings.SECRET_KEY", "s3cret", "twod.wsgi.apps.shop.settings.PAGE_SIZE",
				25, "twod.wsgi.apps.shop.settings.FEATURE", true, "twod.wsgi.apps.other.settings.X", "not ours"));
		WsgiSettings settings = resolve("shop");
		assertThat(settings.values()).containsOnly(Map.entry("SECRET_KEY", "s3cret"), Map.entry("PAGE_SIZE", 25),
				Map.entry("FEATURE", true));
	}

	@Test
	void placeholdersAreResolved() {
		add("yaml", Map.of("twod.wsgi.apps.shop.settings.DB", "${base.dir}/shop.db", "base.dir", "/var/lib"));
		assertThat(resolve("shop").values()).containsEntry("DB", "/var/lib/shop.db");
	}

	@Test
	void nestedMapsAndListsAreRebuilt() {
		Map<String, Object> yaml = new LinkedHashMap<>();
		yaml.put("twod.wsgi.apps.shop.settings.DATABASES.default.ENGINE", "django.db.backends.sqlite3");
		yaml.put("twod.wsgi.apps.shop.settings.DATABASES.default.NAME", "db.sqlite3");
		yaml.put("twod.wsgi.apps.shop.settings.INSTALLED_APPS[0]", "shop");
		yaml.put("twod.wsgi.apps.shop.settings.INSTALLED_APPS[1]", "blog");
		yaml.put("twod.wsgi.apps.shop.settings.TEMPLATES[0].BACKEND", "django.template.backends.django.DjangoTemplates");
		add("yaml", yaml);
		WsgiSettings settings = resolve("shop");
		assertThat(settings.get("DATABASES"))
			.isEqualTo(Map.of("default", Map.of("ENGINE", "django.db.backends.sqlite3", "NAME", "db.sqlite3")));
		assertThat(settings.get("INSTALLED_APPS")).isEqualTo(List.of("shop", "blog"));
		assertThat(settings.get("TEMPLATES"))
			.isEqualTo(List.of(Map.of("BACKEND", "django.template.backends.django.DjangoTemplates")));
	}

	@Test
	void eachSettingComesWholeFromTheFirstSourceThatSetsIt() {
		add("low", Map.of("twod.wsgi.apps.shop.settings.INSTALLED_APPS[0]", "a",
				"twod.wsgi.apps.shop.settings.INSTALLED_APPS[1]", "b", "twod.wsgi.apps.shop.settings.ONLY_LOW", "low"));
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("high", Map.of("twod.wsgi.apps.shop.settings.INSTALLED_APPS[0]", "c")));
		WsgiSettings settings = resolve("shop");
		assertThat(settings.get("INSTALLED_APPS")).isEqualTo(List.of("c"));
		assertThat(settings.get("ONLY_LOW")).isEqualTo("low");
		assertThat(settings.sources().get("INSTALLED_APPS")).contains("high");
	}

	@Test
	void environmentVariablesSetSettingsByTheDocumentedRule() {
		this.environment.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource("env", Map.of("TWOD_WSGI_APPS_SHOP_SETTINGS_SECRET_KEY", "x",
					"TWOD_WSGI_APPS_MYSHOP_SETTINGS_DEBUG", "yes", "TWOD_WSGI_APPS_MY_SHOP_SETTINGS_ALLOWED_HOSTS",
					"a.com b.com", "TWOD_WSGI_APPS_SHOP_WORKERS", "4")));
		assertThat(resolve("shop").values()).containsOnly(Map.entry("SECRET_KEY", "x"));
		assertThat(resolve("my-shop").values()).containsOnly(Map.entry("DEBUG", true),
				Map.entry("ALLOWED_HOSTS", List.of("a.com", "b.com")));
	}

	@Test
	void stringsAreConvertedByDeclaredAndKnownTypes() {
		add("props", Map.of("twod.wsgi.apps.shop.settings.DEBUG", "off", "twod.wsgi.apps.shop.settings.MY_FLAG", "on",
				"twod.wsgi.apps.shop.settings.UNTYPED", "on", "twod.wsgi.apps.shop.settings.SESSION_COOKIE_DOMAIN", ""));
		SettingsTypes types = new SettingsTypes(Map.of(SettingType.BOOLEAN, List.of("MY_FLAG")));
		WsgiSettings settings = SettingsResolver.resolve(this.environment, "shop", types);
		assertThat(settings.values()).containsEntry("DEBUG", false)
			.containsEntry("MY_FLAG", true)
			.containsEntry("UNTYPED", "on")
			.containsEntry("SESSION_COOKIE_DOMAIN", null);
	}

	@Test
	void aValueThatCannotBeConvertedNamesKeyValueTypeAndOrigin() {
		ByteArrayResource file = new ByteArrayResource(new byte[0], "settings file");
		this.environment.getPropertySources()
			.addFirst(new OriginTrackedMapPropertySource("yaml", Map.of("twod.wsgi.apps.shop.settings.DEBUG",
					OriginTrackedValue.of("maybe", new TextResourceOrigin(file, new TextResourceOrigin.Location(4, 2))))));
		assertThatExceptionOfType(InvalidWsgiSettingException.class).isThrownBy(() -> resolve("shop"))
			.satisfies((ex) -> {
				assertThat(ex.getSetting()).isEqualTo("DEBUG");
				assertThat(ex.getShownValue()).isEqualTo("'maybe'");
				assertThat(ex.getType()).isEqualTo(SettingType.BOOLEAN);
				assertThat(ex.getSource()).contains("settings file").contains("5:3");
			});
	}

	@Test
	void secretValuesAreNeverShown() {
		add("props", Map.of("twod.wsgi.apps.shop.settings.API_KEY", "abc"));
		SettingsTypes types = new SettingsTypes(Map.of(SettingType.INTEGER, List.of("API_KEY")));
		assertThatExceptionOfType(InvalidWsgiSettingException.class)
			.isThrownBy(() -> SettingsResolver.resolve(this.environment, "shop", types))
			.withMessageNotContaining("abc")
			.satisfies((ex) -> assertThat(ex.getShownValue()).isEqualTo(WsgiSettings.MASK));
		add("more", Map.of("twod.wsgi.apps.shop.settings.DB_PASSWORD", "hunter2", "twod.wsgi.apps.shop.settings.NAME",
				"shop"));
		WsgiSettings settings = resolve("shop");
		assertThat(settings.masked()).containsEntry("DB_PASSWORD", WsgiSettings.MASK).containsEntry("NAME", "shop");
		assertThat(settings.toString()).doesNotContain("hunter2");
	}

	private void add(String name, Map<String, Object> properties) {
		this.environment.getPropertySources().addLast(new MapPropertySource(name, properties));
	}

	private WsgiSettings resolve(String app) {
		return SettingsResolver.resolve(this.environment, app, this.noDeclarations);
	}

}
