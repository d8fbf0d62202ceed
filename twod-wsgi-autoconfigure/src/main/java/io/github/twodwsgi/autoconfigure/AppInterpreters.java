package io.github.twodwsgi.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.twodwsgi.autoconfigure.WsgiProperties.App;
import io.github.twodwsgi.environment.PythonEnvironments;
import io.github.twodwsgi.environment.PythonInterpreter;
import io.github.twodwsgi.environment.Requirements;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.util.ResourceUtils;

/**
 * Which interpreter runs an app's workers, from its properties: the Python of an existing virtual
 * environment, of one built from its requirements, or the configured one; checked in each case.
 */
final class AppInterpreters {

	private final WsgiProperties properties;

	private final PythonEnvironments environments;

	AppInterpreters(WsgiProperties properties, PythonEnvironments environments) {
		this.properties = properties;
		this.environments = environments;
	}

	/**
	 * The interpreter of the app's workers, checked: an existing virtual environment's, one built from
	 * the app's requirements, or the configured one.
	 */
	String interpreter(String name, App app) {
		String prefix = "twod.wsgi.apps." + name;
		if (app.getVenv() != null && !app.getVenv().isBlank()) {
			if (app.getRequirements() != null) {
				throw new InvalidWsgiConfigurationException(prefix + ".venv",
						"an app runs either in an existing virtual environment (venv) or in one built from its "
								+ "requirements, not both");
			}
			String python = existingVenvPython(prefix, app.getVenv());
			PythonInterpreter.probe(name, python);
			return python;
		}
		String configured = (app.getPython() != null && !app.getPython().isBlank()) ? app.getPython()
				: this.properties.getPython();
		PythonInterpreter base = PythonInterpreter.probe(name, configured);
		if (app.getRequirements() == null || app.getRequirements().isBlank()) {
			return configured;
		}
		Requirements requirements = requirements(prefix, app.getRequirements());
		return this.environments.prepare(name, base, requirements, app.getPipArgs()).python().toString();
	}

	private static String existingVenvPython(String prefix, String venv) {
		Path directory = Path.of(venv).toAbsolutePath();
		Path python = directory.resolve("bin").resolve("python");
		if (!Files.isRegularFile(directory.resolve("pyvenv.cfg")) || !Files.isExecutable(python)) {
			throw new InvalidWsgiConfigurationException(prefix + ".venv", "'" + venv + "' is not a virtual "
					+ "environment: it has no pyvenv.cfg and bin/python (create one with 'python3 -m venv " + venv + "')");
		}
		return python.toString();
	}

	private static Requirements requirements(String prefix, String location) {
		Resource resource = location.startsWith(ResourceUtils.CLASSPATH_URL_PREFIX)
				? new ClassPathResource(location.substring(ResourceUtils.CLASSPATH_URL_PREFIX.length()))
				: new FileSystemResource(location.startsWith(ResourceUtils.FILE_URL_PREFIX)
						? location.substring(ResourceUtils.FILE_URL_PREFIX.length()) : location);
		try (InputStream in = resource.getInputStream()) {
			return new Requirements(new String(in.readAllBytes(), StandardCharsets.UTF_8), location);
		}
		catch (IOException ex) {
			throw new InvalidWsgiConfigurationException(prefix + ".requirements",
					"the requirements file '" + location + "' cannot be read: " + ex.getMessage());
		}
	}

}
