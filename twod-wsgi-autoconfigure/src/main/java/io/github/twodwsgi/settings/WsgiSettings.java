package io.github.twodwsgi.settings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of one app, resolved from Spring's property sources and converted to the types Python
 * gets: strings, booleans, numbers, {@code null}, lists and maps. Read-only; Java code sees exactly
 * what the Python app sees.
 */
public final class WsgiSettings {

	/** What is shown instead of the value of a secret-looking setting. */
	public static final String MASK = "******";

	private static final List<String> SECRET_WORDS = List.of("PASSWORD", "SECRET", "TOKEN", "KEY");

	private final Map<String, Object> values;

	private final Map<String, String> sources;

	WsgiSettings(Map<String, Object> values, Map<String, String> sources) {
		this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
		this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
	}

	/** No settings. */
	public static WsgiSettings empty() {
		return new WsgiSettings(Map.of(), Map.of());
	}

	/** The settings by name; nested lists and maps are as Python gets them. */
	public Map<String, Object> values() {
		return this.values;
	}

	/** One setting, or {@code null}. */
	public Object get(String name) {
		return this.values.get(name);
	}

	/** The property source each setting came from. */
	public Map<String, String> sources() {
		return this.sources;
	}

	/** Whether a setting's name looks like it holds a secret (password, secret, token, key). */
	public static boolean isSecret(String name) {
		String upper = name.toUpperCase(Locale.ROOT);
		return SECRET_WORDS.stream().anyMatch(upper::contains);
	}

	/** The settings with the values of secret-looking ones masked, for logs and endpoints. */
	public Map<String, Object> masked() {
		Map<String, Object> masked = new LinkedHashMap<>();
		this.values.forEach((name, value) -> masked.put(name, isSecret(name) ? MASK : value));
		return masked;
	}

	@Override
	public String toString() {
		return masked().toString();
	}

}
