package io.github.twodwsgi.settings;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Collects the settings of an app from Spring's property sources: the keys under
 * {@code twod.wsgi.apps.<name>.settings.} keep their case ({@code SECRET_KEY}), nested YAML maps and
 * lists become dicts and lists, and an environment variable
 * {@code TWOD_WSGI_APPS_<NAME>_SETTINGS_<SETTING>} (the app's name in capitals without dashes) sets
 * {@code <SETTING>}. Each setting is taken whole from the first property source, in Spring's
 * precedence, that sets it; string values are then converted by the type of their name.
 */
public final class SettingsResolver {

	private SettingsResolver() {
	}

	/**
	 * @throws InvalidWsgiSettingException if a value cannot be converted to its setting's type
	 */
	public static WsgiSettings resolve(ConfigurableEnvironment environment, String app, SettingsTypes types) {
		String prefix = "twod.wsgi.apps." + app + ".settings.";
		List<String> environmentPrefixes = List.of(
				"TWOD_WSGI_APPS_" + app.toUpperCase(Locale.ROOT).replace("-", "") + "_SETTINGS_",
				"TWOD_WSGI_APPS_" + app.toUpperCase(Locale.ROOT).replace('-', '_') + "_SETTINGS_");
		Map<String, Object> values = new LinkedHashMap<>();
		Map<String, String> sources = new LinkedHashMap<>();
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
				continue;
			}
			Set<String> claimedHere = new HashSet<>();
			for (String name : enumerable.getPropertyNames()) {
				String path = settingPath(source, name, prefix, environmentPrefixes);
				if (path == null || path.isEmpty()) {
					continue;
				}
				String key = topLevelKey(path);
				if (sources.containsKey(key) && !claimedHere.contains(key)) {
					continue;
				}
				claimedHere.add(key);
				sources.put(key, describe(source, name));
				Object value = enumerable.getProperty(name);
				if (value instanceof CharSequence text) {
					// ${...} placeholders, as Spring's binder resolves them.
					value = environment.resolveRequiredPlaceholders(text.toString());
				}
				values.put(key, insert(values.get(key), tokens(path.substring(key.length())), 0, value));
			}
		}
		values.replaceAll((key, value) -> convert(app, key, value, types.typeOf(key), sources.get(key)));
		return new WsgiSettings(values, sources);
	}

	private static String settingPath(PropertySource<?> source, String name, String prefix,
			List<String> environmentPrefixes) {
		if (source instanceof SystemEnvironmentPropertySource) {
			for (String environmentPrefix : environmentPrefixes) {
				if (name.startsWith(environmentPrefix)) {
					return name.substring(environmentPrefix.length());
				}
			}
			return null;
		}
		if (name.length() > prefix.length() && name.regionMatches(true, 0, prefix, 0, prefix.length())) {
			return name.substring(prefix.length());
		}
		return null;
	}

	private static String topLevelKey(String path) {
		int end = path.length();
		int dot = path.indexOf('.');
		int bracket = path.indexOf('[');
		if (dot >= 0) {
			end = dot;
		}
		if (bracket >= 0 && bracket < end) {
			end = bracket;
		}
		return path.substring(0, end);
	}

	/** {@code .name} and {@code [index]} steps below the top-level key. */
	private static List<Object> tokens(String rest) {
		List<Object> tokens = new ArrayList<>();
		int i = 0;
		while (i < rest.length()) {
			if (rest.charAt(i) == '[') {
				int close = rest.indexOf(']', i);
				tokens.add(Integer.parseInt(rest.substring(i + 1, close)));
				i = close + 1;
			}
			else {
				int start = (rest.charAt(i) == '.') ? i + 1 : i;
				int end = start;
				while (end < rest.length() && rest.charAt(end) != '.' && rest.charAt(end) != '[') {
					end++;
				}
				tokens.add(rest.substring(start, end));
				i = end;
			}
		}
		return tokens;
	}

	@SuppressWarnings("unchecked")
	private static Object insert(Object node, List<Object> tokens, int index, Object value) {
		if (index == tokens.size()) {
			return value;
		}
		Object token = tokens.get(index);
		if (token instanceof Integer position) {
			List<Object> list = (node instanceof List) ? (List<Object>) node : new ArrayList<>();
			while (list.size() <= position) {
				list.add(null);
			}
			list.set(position, insert(list.get(position), tokens, index + 1, value));
			return list;
		}
		Map<String, Object> map = (node instanceof Map) ? (Map<String, Object>) node : new LinkedHashMap<>();
		map.put((String) token, insert(map.get(token), tokens, index + 1, value));
		return map;
	}

	private static Object convert(String app, String key, Object value, SettingType type, String source) {
		if (type == null || !(value instanceof CharSequence text)) {
			return value;
		}
		try {
			return type.convert(text.toString());
		}
		catch (RuntimeException ex) {
			throw new InvalidWsgiSettingException(app, key, text.toString(), type, source);
		}
	}

	private static String describe(PropertySource<?> source, String name) {
		Origin origin = OriginLookup.getOrigin(source, name);
		return (origin != null) ? "'" + name + "' in " + origin : "'" + name + "' in " + source.getName();
	}

}
