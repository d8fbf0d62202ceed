package io.github.twodwsgi.diagnostics;

import io.github.twodwsgi.environment.PythonEnvironmentException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an app's virtual environment that could not be built, with what {@code venv} or pip said.
 */
class PythonEnvironmentFailureAnalyzer extends AbstractFailureAnalyzer<PythonEnvironmentException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PythonEnvironmentException cause) {
		StringBuilder description = new StringBuilder(cause.getMessage()).append('.');
		if (!cause.getOutput().isBlank()) {
			description.append("\n\nWhat it said (the last lines):\n\n")
				.append(cause.getOutput().indent(4).stripTrailing());
		}
		String prefix = "twod.wsgi.apps." + cause.getAppName();
		String action = "Check the requirements (" + cause.getRequirements() + ", " + prefix + ".requirements): "
				+ "the names and versions of the packages, and that each can be found where pip looks: the "
				+ "package index and any proxy (pip's own configuration and environment apply: pip.conf, "
				+ "PIP_INDEX_URL, PIP_EXTRA_INDEX_URL, PIP_FIND_LINKS, PIP_NO_INDEX, HTTPS_PROXY), or a wheel "
				+ "directory given with " + prefix + ".pip-args (e.g. [--no-index, --find-links, /opt/wheels]). "
				+ "Nothing half-built is kept: the next start builds the environment again.";
		return new FailureAnalysis(description.toString(), action, cause);
	}

}
