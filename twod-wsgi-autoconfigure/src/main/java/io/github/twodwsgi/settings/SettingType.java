package io.github.twodwsgi.settings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.core.JacksonException;

/**
 * How a setting that arrives as a string (from a properties file, an environment variable or an
 * {@code .ini} file) is converted, by the rules of the original twod.wsgi. A value may also be JSON
 * of the right shape. Values that arrive typed (YAML) pass through unchanged.
 */
public enum SettingType {

	/** {@code true/yes/on/1} or {@code false/no/off/0}, in any case; anything else is an error. */
	BOOLEAN("a boolean (true/yes/on/1 or false/no/off/0)") {
		@Override
		Object convert(String value) {
			return switch (value.strip().toLowerCase(Locale.ROOT)) {
				case "true", "yes", "on", "1" -> true;
				case "false", "no", "off", "0" -> false;
				default -> throw new IllegalArgumentException();
			};
		}
	},

	/** A whole number. */
	INTEGER("an integer") {
		@Override
		Object convert(String value) {
			return Long.parseLong(value.strip());
		}
	},

	/** Items separated by whitespace or line breaks, or a JSON array. */
	LIST("a list (items separated by spaces or lines, or a JSON array)") {
		@Override
		Object convert(String value) {
			String text = value.strip();
			if (text.startsWith("[")) {
				return json(text, List.class);
			}
			return text.isEmpty() ? List.of() : List.of(text.split("\\s+"));
		}
	},

	/** One list per line, its fields separated by {@code ;}, or a JSON array of arrays. */
	NESTED_LIST("a nested list (one list per line, fields separated by ';', or a JSON array of arrays)") {
		@Override
		Object convert(String value) {
			String text = value.strip();
			if (text.startsWith("[")) {
				return json(text, List.class);
			}
			List<List<String>> rows = new ArrayList<>();
			for (String line : text.split("\\R")) {
				if (!line.isBlank()) {
					rows.add(Arrays.stream(line.split(";")).map(String::strip).toList());
				}
			}
			return rows;
		}
	},

	/** One {@code key = value} per line, or a JSON object. */
	DICT("a dictionary (one 'key = value' per line, or a JSON object)") {
		@Override
		Object convert(String value) {
			String text = value.strip();
			if (text.startsWith("{")) {
				return json(text, Map.class);
			}
			Map<String, String> entries = new LinkedHashMap<>();
			for (String line : text.split("\\R")) {
				if (line.isBlank()) {
					continue;
				}
				int equals = line.indexOf('=');
				if (equals < 0) {
					throw new IllegalArgumentException();
				}
				entries.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
			}
			return entries;
		}
	},

	/** {@code None} when empty, otherwise the string itself. */
	NONE_IF_EMPTY("a string, or None when empty") {
		@Override
		Object convert(String value) {
			return value.isBlank() ? null : value;
		}
	};

	private final String description;

	SettingType(String description) {
		this.description = description;
	}

	/** What a value of this type looks like, for error messages. */
	public String description() {
		return this.description;
	}

	/**
	 * Converts a string value.
	 * @throws IllegalArgumentException if the value is not of this type
	 */
	abstract Object convert(String value);

	private static Object json(String text, Class<?> type) {
		try {
			return JsonText.parse(text, type);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

}
