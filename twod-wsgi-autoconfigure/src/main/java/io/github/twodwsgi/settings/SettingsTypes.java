package io.github.twodwsgi.settings;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which type each setting name has: the user's declarations first, then the settings of Django whose
 * types are known (so that {@code DEBUG=false} in an environment variable is a boolean).
 */
public final class SettingsTypes {

	private static final Map<String, SettingType> DJANGO = new HashMap<>();

	static {
		declare(DJANGO, SettingType.BOOLEAN, "DEBUG", "DEBUG_PROPAGATE_EXCEPTIONS", "USE_TZ", "USE_I18N", "USE_L10N",
				"USE_THOUSAND_SEPARATOR", "APPEND_SLASH", "PREPEND_WWW", "USE_X_FORWARDED_HOST",
				"USE_X_FORWARDED_PORT", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
				"SESSION_EXPIRE_AT_BROWSER_CLOSE", "SESSION_SAVE_EVERY_REQUEST", "CSRF_COOKIE_SECURE",
				"CSRF_COOKIE_HTTPONLY", "CSRF_USE_SESSIONS", "SECURE_SSL_REDIRECT", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
				"SECURE_HSTS_PRELOAD", "SECURE_CONTENT_TYPE_NOSNIFF", "EMAIL_USE_TLS", "EMAIL_USE_SSL",
				"EMAIL_USE_LOCALTIME");
		declare(DJANGO, SettingType.INTEGER, "SITE_ID", "SESSION_COOKIE_AGE", "CSRF_COOKIE_AGE",
				"SECURE_HSTS_SECONDS", "EMAIL_PORT", "EMAIL_TIMEOUT", "DATA_UPLOAD_MAX_MEMORY_SIZE",
				"DATA_UPLOAD_MAX_NUMBER_FIELDS", "DATA_UPLOAD_MAX_NUMBER_FILES", "FILE_UPLOAD_MAX_MEMORY_SIZE",
				"PASSWORD_RESET_TIMEOUT", "FIRST_DAY_OF_WEEK", "CONN_MAX_AGE");
		declare(DJANGO, SettingType.LIST, "ALLOWED_HOSTS", "INSTALLED_APPS", "MIDDLEWARE", "INTERNAL_IPS",
				"TEMPLATES", "AUTH_PASSWORD_VALIDATORS", "AUTHENTICATION_BACKENDS", "PASSWORD_HASHERS",
				"CSRF_TRUSTED_ORIGINS", "STATICFILES_DIRS", "STATICFILES_FINDERS", "FIXTURE_DIRS", "LOCALE_PATHS",
				"DATE_INPUT_FORMATS", "DATETIME_INPUT_FORMATS", "TIME_INPUT_FORMATS", "DISALLOWED_USER_AGENTS",
				"SECURE_REDIRECT_EXEMPT", "FILE_UPLOAD_HANDLERS", "IGNORABLE_404_URLS");
		declare(DJANGO, SettingType.NESTED_LIST, "ADMINS", "MANAGERS", "LANGUAGES");
		declare(DJANGO, SettingType.DICT, "DATABASES", "CACHES", "LOGGING", "STORAGES", "SERIALIZATION_MODULES",
				"MIGRATION_MODULES");
		declare(DJANGO, SettingType.NONE_IF_EMPTY, "SESSION_COOKIE_DOMAIN", "CSRF_COOKIE_DOMAIN",
				"LANGUAGE_COOKIE_DOMAIN", "STATIC_ROOT", "SESSION_FILE_PATH", "FILE_UPLOAD_TEMP_DIR",
				"SECURE_PROXY_SSL_HEADER");
	}

	private final Map<String, SettingType> declared = new HashMap<>();

	/** Types for the names declared in {@code settings-types}; Django's known names for the rest. */
	public SettingsTypes(Map<SettingType, List<String>> declarations) {
		declarations.forEach((type, names) -> names.forEach((name) -> this.declared.put(name, type)));
	}

	/** The type of a setting, or {@code null} when it has none (its string value is kept as is). */
	public SettingType typeOf(String name) {
		SettingType type = this.declared.get(name);
		return (type != null) ? type : DJANGO.get(name);
	}

	private static void declare(Map<String, SettingType> types, SettingType type, String... names) {
		for (String name : names) {
			types.put(name, type);
		}
	}

}
