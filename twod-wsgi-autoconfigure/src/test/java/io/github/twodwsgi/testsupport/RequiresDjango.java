package io.github.twodwsgi.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Tests that run a Django project under Debian's {@code /usr/bin/python3}. Where Django is missing they
 * are skipped with the command that installs it, except on CI ({@code CI=true}), where {@code .ci/run}
 * installs it and a missing Django must fail the build rather than hide the tests.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(RequiresDjango.Condition.class)
public @interface RequiresDjango {

	/** Debian's interpreter, which python3-django installs Django for. */
	String PYTHON = "/usr/bin/python3";

	/** Evaluates whether Django can be imported. */
	class Condition implements ExecutionCondition {

		private static Boolean available;

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			if (djangoAvailable() || "true".equalsIgnoreCase(System.getenv("CI"))) {
				return ConditionEvaluationResult.enabled("Django is installed, or CI must run these tests");
			}
			return ConditionEvaluationResult
				.disabled("Django is not installed for " + PYTHON + ": apt-get install -y python3-django");
		}

		private static synchronized boolean djangoAvailable() {
			if (available == null) {
				try {
					Process process = new ProcessBuilder(PYTHON, "-c", "import django").start();
					available = process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
				}
				catch (Exception ex) {
					available = false;
				}
			}
			return available;
		}

	}

}
