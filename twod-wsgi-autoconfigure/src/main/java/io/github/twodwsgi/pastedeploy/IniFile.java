package io.github.twodwsgi.pastedeploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.boot.origin.TextResourceOrigin.Location;
import org.springframework.core.io.Resource;

/**
 * An {@code .ini} file read as Python's configparser (and so PasteDeploy) reads it: {@code [section]}
 * headers, {@code name = value} or {@code name: value} options, indented continuation lines, and
 * {@code #} or {@code ;} comments. Option names keep their case; values are not interpolated yet.
 */
final class IniFile {

	/** One option's raw value and where it was written. */
	record Option(String value, Origin origin) {
	}

	private final Resource resource;

	private final Map<String, Map<String, Option>> sections = new LinkedHashMap<>();

	private IniFile(Resource resource) {
		this.resource = resource;
	}

	static IniFile read(Resource resource) throws IOException {
		IniFile file = new IniFile(resource);
		file.parse();
		return file;
	}

	Resource resource() {
		return this.resource;
	}

	/** The sections by name ({@code DEFAULT}, {@code app:shop}, ...), in file order. */
	Map<String, Map<String, Option>> sections() {
		return this.sections;
	}

	private void parse() throws IOException {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.resource.getInputStream(), StandardCharsets.UTF_8))) {
			Map<String, Option> section = null;
			String lastName = null;
			String line;
			int number = 0;
			while ((line = reader.readLine()) != null) {
				number++;
				String stripped = line.strip();
				if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")) {
					lastName = stripped.isEmpty() ? null : lastName;
					continue;
				}
				if (Character.isWhitespace(line.charAt(0)) && lastName != null) {
					Option previous = section.get(lastName);
					String joined = previous.value().isEmpty() ? stripped : previous.value() + "\n" + stripped;
					section.put(lastName, new Option(joined, previous.origin()));
					continue;
				}
				if (stripped.startsWith("[")) {
					if (!stripped.endsWith("]")) {
						throw error(number, "a section header must end with ']': " + stripped);
					}
					section = this.sections.computeIfAbsent(stripped.substring(1, stripped.length() - 1).strip(),
							(name) -> new LinkedHashMap<>());
					lastName = null;
					continue;
				}
				if (section == null) {
					throw error(number, "an option comes before any [section]: " + stripped);
				}
				int separator = separator(stripped);
				if (separator <= 0) {
					throw error(number, "expected 'name = value', got: " + stripped);
				}
				lastName = stripped.substring(0, separator).strip();
				section.put(lastName, new Option(stripped.substring(separator + 1).strip(),
						new TextResourceOrigin(this.resource, new Location(number - 1, 0))));
			}
		}
	}

	private static int separator(String line) {
		int equals = line.indexOf('=');
		int colon = line.indexOf(':');
		if (equals < 0) {
			return colon;
		}
		return (colon < 0) ? equals : Math.min(equals, colon);
	}

	private InvalidPasteDeployFileException error(int line, String message) {
		return new InvalidPasteDeployFileException(this.resource.getDescription() + ", line " + line + ": " + message);
	}

}
