package io.github.twodwsgi.worker;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Writes Java values as JSON for the worker: environ values that are not strings (routing args,
 * values of customizers, which the worker turns into tuples where JSON has arrays) and the worker's
 * boot configuration. Anything but strings, booleans, numbers, null, and lists and maps of these is
 * refused with an error that names where the value was meant to go.
 */
public final class PythonJson {

	private PythonJson() {
	}

	/**
	 * The JSON text of a value.
	 * @param key what the value is for, named in errors (e.g. an environ key)
	 * @throws IllegalArgumentException if the value has a type Python cannot be given
	 */
	public static String of(String key, Object value) {
		StringBuilder json = new StringBuilder();
		appendJson(json, key, value);
		return json.toString();
	}

	/** Appends the JSON text of a value; see {@link #of(String, Object)}. */
	public static void appendJson(StringBuilder json, String key, Object value) {
		if (value == null) {
			json.append("null");
		}
		else if (value instanceof CharSequence text) {
			appendString(json, text.toString());
		}
		else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
				|| value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
			json.append(value);
		}
		else if (value instanceof BigDecimal decimal) {
			json.append(decimal.toPlainString());
		}
		else if (value instanceof Double || value instanceof Float) {
			double number = ((Number) value).doubleValue();
			if (Double.isNaN(number) || Double.isInfinite(number)) {
				throw refused(key, value);
			}
			json.append(number);
		}
		else if (value instanceof Collection<?> items) {
			json.append('[');
			boolean first = true;
			for (Object item : items) {
				json.append(first ? "" : ",");
				appendJson(json, key, item);
				first = false;
			}
			json.append(']');
		}
		else if (value instanceof Map<?, ?> map) {
			json.append('{');
			boolean first = true;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if (!(entry.getKey() instanceof String name)) {
					throw new IllegalArgumentException(key + " has a map key of type "
							+ typeName(entry.getKey()) + ": Python dicts sent by the gateway take str keys");
				}
				json.append(first ? "" : ",");
				appendString(json, name);
				json.append(':');
				appendJson(json, key, entry.getValue());
				first = false;
			}
			json.append('}');
		}
		else {
			throw refused(key, value);
		}
	}

	private static IllegalArgumentException refused(String key, Object value) {
		return new IllegalArgumentException(key + " cannot be " + typeName(value) + " " + value
				+ ": use a String, Boolean, integer, finite Double, null, or a List or Map of these");
	}

	private static String typeName(Object value) {
		return (value != null) ? value.getClass().getName() : "null";
	}

	/** A JSON string in pure ASCII, so that it travels unchanged in the latin-1 environ block. */
	private static void appendString(StringBuilder json, String text) {
		json.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				default -> {
					if (c < 0x20 || c > 0x7E) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		json.append('"');
	}

}
