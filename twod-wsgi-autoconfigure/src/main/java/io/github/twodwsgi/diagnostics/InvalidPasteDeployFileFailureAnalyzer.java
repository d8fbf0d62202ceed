package io.github.twodwsgi.diagnostics;

import io.github.twodwsgi.pastedeploy.InvalidPasteDeployFileException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a PasteDeploy {@code .ini} file that cannot be turned into settings.
 */
class InvalidPasteDeployFileFailureAnalyzer extends AbstractFailureAnalyzer<InvalidPasteDeployFileException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidPasteDeployFileException cause) {
		return new FailureAnalysis("A PasteDeploy file imported with spring.config.import could not be read: "
				+ cause.getMessage(), "Fix the .ini file, or the spring.config.import entry that names it.", cause);
	}

}
