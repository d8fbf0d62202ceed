package io.github.twodwsgi.settings;

import tools.jackson.databind.json.JsonMapper;

/**
 * Reads setting values given as JSON.
 */
final class JsonText {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private JsonText() {
	}

	static <T> T parse(String text, Class<T> type) {
		return MAPPER.readValue(text, type);
	}

}
