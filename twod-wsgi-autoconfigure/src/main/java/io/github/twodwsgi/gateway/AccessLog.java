package io.github.twodwsgi.gateway;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs mounted requests in the combined log format (as Apache, nginx and gunicorn do), with the time
 * taken in microseconds at the end, under the logger {@code twod.wsgi.access}.
 */
public final class AccessLog {

	private static final Logger logger = LoggerFactory.getLogger("twod.wsgi.access");

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

	private AccessLog() {
	}

	public static void log(HttpServletRequest request, HttpServletResponse response, long nanos) {
		if (!logger.isInfoEnabled()) {
			return;
		}
		String query = request.getQueryString();
		String user = request.getRemoteUser();
		logger.info("{} - {} [{}] \"{} {}{} {}\" {} - \"{}\" \"{}\" {}", request.getRemoteAddr(),
				(user != null) ? user : "-", TIME.format(ZonedDateTime.now()), request.getMethod(),
				request.getRequestURI(), (query != null) ? "?" + query : "", request.getProtocol(), response.getStatus(),
				orDash(request.getHeader("Referer")), orDash(request.getHeader("User-Agent")), nanos / 1000);
	}

	private static String orDash(String value) {
		return (value != null) ? value : "-";
	}

}
