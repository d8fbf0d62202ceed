package io.github.twodwsgi.diagnostics;

import io.github.twodwsgi.settings.InvalidWsgiSettingException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a setting whose value cannot be converted: the app, the key, the value (masked when it
 * looks secret), the expected type and where the value came from.
 */
class InvalidWsgiSettingFailureAnalyzer extends AbstractFailureAnalyzer<InvalidWsgiSettingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidWsgiSettingException cause) {
		String description = "WSGI app '" + cause.getAppName() + "' failed to start because its setting "
				+ cause.getSetting() + " cannot be converted.\n\n    setting: " + cause.getSetting() + "\n    value: "
				+ cause.getShownValue() + "\n    expected: " + cause.getType().description() + "\n    from: "
				+ cause.getSource();
		String action = "Update " + cause.getSetting() + " in " + cause.getSource() + ", or declare its type under "
				+ "twod.wsgi.apps." + cause.getAppName() + ".settings-types.";
		return new FailureAnalysis(description, action, cause);
	}

}
