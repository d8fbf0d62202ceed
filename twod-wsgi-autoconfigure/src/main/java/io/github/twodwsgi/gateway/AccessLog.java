package io.github.twodwsgi.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
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
 * <p>
 * Values that come from the client are escaped as nginx escapes them: a double quote, a backslash,
 * control characters and anything outside printable ASCII become {@code \xHH} (the byte received;
 * for the user name, its UTF-8 bytes), so no
 * request can end a quoted field early or forge a line. The timestamp is formatted once per second,
 * as nginx caches its own, rather than for every request.
 */
public final class AccessLog {

	private static final Logger logger = LoggerFactory.getLogger("twod.wsgi.access");

	private static final AccessLog INSTANCE = new AccessLog(Clock.systemDefaultZone());

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	private final Clock clock;

	private volatile FormattedSecond second = new FormattedSecond(Long.MIN_VALUE, "");

	private record FormattedSecond(long epochSecond, String text) {
	}

	AccessLog(Clock clock) {
		this.clock = clock;
	}

	public static void log(HttpServletRequest request, HttpServletResponse response, long nanos) {
		if (logger.isInfoEnabled()) {
			logger.info(INSTANCE.line(request, response, nanos));
		}
	}

	/** The request's line: {@code addr - user [time] "METHOD uri?query PROTOCOL" status - "referer" "agent" micros}. */
	String line(HttpServletRequest request, HttpServletResponse response, long nanos) {
		StringBuilder line = new StringBuilder(160);
		line.append(request.getRemoteAddr()).append(" - ");
		appendEscaped(line, request.getRemoteUser(), false);
		line.append(" [").append(now()).append("] \"");
		appendEscaped(line, request.getMethod(), true);
		line.append(' ');
		appendEscaped(line, request.getRequestURI(), true);
		String query = request.getQueryString();
		if (query != null) {
			line.append('?');
			appendEscaped(line, query, true);
		}
		line.append(' ');
		appendEscaped(line, request.getProtocol(), true);
		line.append("\" ").append(response.getStatus()).append(" - \"");
		appendEscaped(line, request.getHeader("Referer"), true);
		line.append("\" \"");
		appendEscaped(line, request.getHeader("User-Agent"), true);
		line.append("\" ").append(nanos / 1000);
		return line.toString();
	}

	private String now() {
		Instant instant = this.clock.instant();
		FormattedSecond cached = this.second;
		if (cached.epochSecond() != instant.getEpochSecond()) {
			cached = new FormattedSecond(instant.getEpochSecond(),
					TIME.format(ZonedDateTime.ofInstant(instant, this.clock.getZone())));
			this.second = cached;
		}
		return cached.text();
	}

	/**
	 * {@code value}, or "-" if there is none, escaped as nginx's {@code escape=default} does.
	 * @param receivedBytes whether the value is one char per byte received (the request line and headers,
	 * as the container gives them), so that a char below 0x100 stands for that byte; otherwise (a user
	 * name) what is escaped is the value's UTF-8
	 */
	private static void appendEscaped(StringBuilder line, String value, boolean receivedBytes) {
		if (value == null || value.isEmpty()) {
			line.append('-');
			return;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
				line.append(c);
			}
			else if (c < 0x80 || (receivedBytes && c < 0x100)) {
				appendHex(line, c);
			}
			else {
				int end = (Character.isHighSurrogate(c) && i + 1 < value.length()) ? i + 2 : i + 1;
				for (byte b : value.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
					appendHex(line, b & 0xff);
				}
				i = end - 1;
			}
		}
	}

	private static void appendHex(StringBuilder line, int b) {
		line.append("\\x").append(HEX[b >> 4]).append(HEX[b & 0xf]);
	}

}
