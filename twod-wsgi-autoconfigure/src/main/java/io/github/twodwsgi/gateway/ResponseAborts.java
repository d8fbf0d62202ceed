package io.github.twodwsgi.gateway;

import java.io.IOException;

import org.springframework.util.ClassUtils;

/**
 * Ends a response that had started when it failed so that the client sees it incomplete (PEP 3333:
 * the server aborts the response), with nothing added to it. On Tomcat this is its own
 * {@code ClientAbortException}: Tomcat then closes the connection at once, without rendering an
 * error page into the started body and without logging a stack trace; on other containers a plain
 * {@link IOException}, which they answer by closing the connection.
 */
final class ResponseAborts {

	private static final String TOMCAT_ABORT = "org.apache.catalina.connector.ClientAbortException";

	private static final boolean TOMCAT = ClassUtils.isPresent(TOMCAT_ABORT, ResponseAborts.class.getClassLoader());

	private ResponseAborts() {
	}

	/** The exception to throw from the servlet to end the started response. */
	static IOException abort(String message, Throwable cause) {
		return TOMCAT ? TomcatAbort.create(message, cause) : new GatewayErrors.ResponseAbortedException(message, cause);
	}

	/** Kept apart so that Tomcat's class is loaded only when Tomcat is there. */
	private static final class TomcatAbort {

		static IOException create(String message, Throwable cause) {
			return new org.apache.catalina.connector.ClientAbortException(message, cause);
		}

	}

}
