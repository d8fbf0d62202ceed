package io.github.twodwsgi.pastedeploy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.twodwsgi.pastedeploy.IniFile.Option;

import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.io.Resource;

/**
 * Turns a PasteDeploy {@code .ini} file into {@code twod.wsgi.apps.<name>.*} properties, as the
 * original twod.wsgi's {@code wsgify_django} read it:
 * <ul>
 * <li>each {@code [app:<name>]} section's options become that app's settings, named in capitals
 * ({@code secret_key} sets {@code SECRET_KEY});</li>
 * <li>{@code [DEFAULT]} holds global options: {@code debug} sets {@code DEBUG} and
 * {@code django_settings_module} the app's Django settings module; {@code set name = value} in a
 * section overrides a global option for that app;</li>
 * <li>{@code use = config:other.ini#name} makes a section inherit the options of {@code [app:name]} in
 * {@code other.ini} (relative to this file), its own options winning;</li>
 * <li>{@code %(name)s} is replaced by the option {@code name} of the section or of {@code [DEFAULT]},
 * {@code %(here)s} by the file's directory, {@code %(__file__)s} by the file itself;</li>
 * <li>{@code twod.booleans}, {@code twod.integers}, {@code twod.tuples}, {@code twod.nested_tuples},
 * {@code twod.dictionaries} and {@code twod.none_if_empty_settings} declare the types of settings.</li>
 * </ul>
 */
final class PasteDeploySettings {

	private static final Pattern INTERPOLATION = Pattern.compile("%\\(([^)]+)\\)s|%%|%");

	private static final Pattern APP_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

	private static final Map<String, String> TYPE_LISTS = Map.of("twod.booleans", "booleans", "twod.integers",
			"integers", "twod.tuples", "lists", "twod.nested_tuples", "nested-lists", "twod.dictionaries", "dicts",
			"twod.none_if_empty_settings", "none-if-empty");

	private PasteDeploySettings() {
	}

	/** The options of a section, its inherited ones included, split into local and global ones. */
	private record Section(Map<String, Option> local, Map<String, Option> global) {
	}

	/**
	 * The properties an {@code .ini} file sets, each with its origin.
	 * @throws InvalidPasteDeployFileException if the file cannot be turned into settings
	 */
	static Map<String, Object> properties(Resource resource) {
		IniFile file = read(resource);
		Map<String, Object> properties = new LinkedHashMap<>();
		for (String name : file.sections().keySet()) {
			if (!name.startsWith("app:")) {
				continue;
			}
			String app = name.substring(4).strip();
			if (!APP_NAME.matcher(app).matches()) {
				throw new InvalidPasteDeployFileException(resource.getDescription() + ": [" + name + "] names app '"
						+ app + "', but app names use lowercase letters, digits and '-'");
			}
			Section section = resolve(file, name, new ArrayList<>());
			addProperties(properties, "twod.wsgi.apps." + app + ".", section);
		}
		return properties;
	}

	private static void addProperties(Map<String, Object> properties, String prefix, Section section) {
		for (Map.Entry<String, Option> option : section.local().entrySet()) {
			String name = option.getKey();
			if (TYPE_LISTS.containsKey(name.toLowerCase(Locale.ROOT))) {
				continue;
			}
			properties.put(prefix + "settings." + name.toUpperCase(Locale.ROOT), value(option, section));
		}
		Option debug = lookup(section.global(), "debug");
		if (debug != null) {
			properties.put(prefix + "settings.DEBUG", value(Map.entry("debug", debug), section));
		}
		Option settingsModule = lookup(section.global(), "django_settings_module");
		if (settingsModule != null) {
			properties.put(prefix + "django.settings-module",
					value(Map.entry("django_settings_module", settingsModule), section));
		}
		for (Map.Entry<String, String> typeList : TYPE_LISTS.entrySet()) {
			Option names = lookup(section.local(), typeList.getKey());
			names = (names != null) ? names : lookup(section.global(), typeList.getKey());
			if (names != null) {
				String[] declared = interpolate(typeList.getKey(), names, section, 0).strip().split("\\s+");
				for (int i = 0; i < declared.length; i++) {
					if (!declared[i].isEmpty()) {
						properties.put(prefix + "settings-types." + typeList.getValue() + "[" + i + "]",
								OriginTrackedValue.of(declared[i], names.origin()));
					}
				}
			}
		}
	}

	private static OriginTrackedValue value(Map.Entry<String, Option> option, Section section) {
		return OriginTrackedValue.of(interpolate(option.getKey(), option.getValue(), section, 0),
				option.getValue().origin());
	}

	private static Section resolve(IniFile file, String sectionName, List<String> chain) {
		String id = file.resource().getDescription() + " [" + sectionName + "]";
		if (chain.contains(id)) {
			throw new InvalidPasteDeployFileException("'use' goes round in a circle: " + String.join(" -> ", chain)
					+ " -> " + id);
		}
		chain.add(id);
		Map<String, Option> own = file.sections().get(sectionName);
		if (own == null) {
			throw new InvalidPasteDeployFileException(
					file.resource().getDescription() + " has no section [" + sectionName + "] (" + String.join(" -> ", chain)
							+ ")");
		}
		Map<String, Option> local = new LinkedHashMap<>();
		Map<String, Option> global = new LinkedHashMap<>();
		Option use = own.get("use");
		if (use != null) {
			Section base = resolve(used(file, use), usedSection(use), chain);
			local.putAll(base.local());
			global.putAll(base.global());
		}
		global.putAll(file.sections().getOrDefault("DEFAULT", Map.of()));
		for (Map.Entry<String, Option> option : own.entrySet()) {
			String name = option.getKey();
			if (name.equals("use")) {
				continue;
			}
			if (name.startsWith("set ")) {
				global.put(name.substring(4).strip(), option.getValue());
			}
			else {
				local.put(name, option.getValue());
			}
		}
		return new Section(local, global);
	}

	private static IniFile used(IniFile file, Option use) {
		String reference = use.value().strip();
		if (!reference.startsWith("config:")) {
			throw new InvalidPasteDeployFileException(use.origin() + ": 'use = " + reference
					+ "' is not supported: only 'config:other.ini#name' references can be followed here");
		}
		String path = reference.substring("config:".length()).split("#", 2)[0];
		try {
			Resource used = file.resource().createRelative(path);
			if (!used.isReadable()) {
				throw new IOException(used.getDescription() + " does not exist or cannot be read");
			}
			return read(used);
		}
		catch (IOException ex) {
			throw new InvalidPasteDeployFileException(use.origin() + ": cannot read '" + path + "' (" + ex.getMessage()
					+ ")", ex);
		}
	}

	private static String usedSection(Option use) {
		String[] parts = use.value().strip().split("#", 2);
		return "app:" + ((parts.length > 1 && !parts[1].isBlank()) ? parts[1].strip() : "main");
	}

	private static String interpolate(String name, Option option, Section section, int depth) {
		if (depth > 10) {
			throw new InvalidPasteDeployFileException(option.origin() + ": %(...)s references in '" + name
					+ "' go too deep (a loop?)");
		}
		Matcher matcher = INTERPOLATION.matcher(option.value());
		StringBuilder result = new StringBuilder();
		while (matcher.find()) {
			String replacement;
			if (matcher.group().equals("%%")) {
				replacement = "%";
			}
			else if (matcher.group(1) == null) {
				throw new InvalidPasteDeployFileException(option.origin() + ": unsupported value of '" + name
						+ "': a '%' must be followed by '%' or '(name)s'");
			}
			else {
				replacement = reference(matcher.group(1), name, option, section, depth);
			}
			matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
		}
		matcher.appendTail(result);
		return result.toString();
	}

	private static String reference(String reference, String name, Option option, Section section, int depth) {
		Resource file = (option.origin() instanceof TextResourceOrigin origin) ? origin.getResource() : null;
		if (reference.equals("here") && file != null) {
			return directoryOf(file);
		}
		if (reference.equals("__file__") && file != null) {
			return pathOf(file);
		}
		Option target = lookup(section.local(), reference);
		target = (target != null) ? target : lookup(section.global(), reference);
		if (target == null) {
			throw new InvalidPasteDeployFileException(option.origin() + ": unsupported value of '" + name + "': %("
					+ reference + ")s names no option of the section or of [DEFAULT]");
		}
		return interpolate(reference, target, section, depth + 1);
	}

	private static Option lookup(Map<String, Option> options, String name) {
		Option option = options.get(name);
		if (option != null) {
			return option;
		}
		for (Map.Entry<String, Option> entry : options.entrySet()) {
			if (entry.getKey().equalsIgnoreCase(name)) {
				return entry.getValue();
			}
		}
		return null;
	}

	private static String pathOf(Resource file) {
		try {
			return file.getFile().getAbsolutePath();
		}
		catch (IOException ex) {
			return file.getDescription();
		}
	}

	private static String directoryOf(Resource file) {
		try {
			return file.getFile().getAbsoluteFile().getParent();
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static IniFile read(Resource resource) {
		try {
			return IniFile.read(resource);
		}
		catch (IOException ex) {
			throw new InvalidPasteDeployFileException("Cannot read the PasteDeploy file " + resource.getDescription(),
					ex);
		}
	}

}
