package io.github.twodwsgi.environment;

import java.nio.file.Path;

/**
 * A virtual environment of the cache.
 *
 * @param directory where it is
 * @param built whether this call built it (rather than finding it complete)
 */
public record PythonEnvironment(Path directory, boolean built) {

	/** Its interpreter, which runs the app's workers. */
	public Path python() {
		return PythonEnvironments.python(this.directory);
	}

}
