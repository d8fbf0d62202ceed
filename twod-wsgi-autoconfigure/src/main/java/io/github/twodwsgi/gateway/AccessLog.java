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
 * for the user name, its UTF-8 bytes), and so does a space in the unquoted fields (the address, which
 * may come from X-Forwarded-For, and the user), so no request can end a field early or forge a line.
 * The timestamp is formatted once per second, as nginx caches its own, rather than for every request.
 */
public final class AccessLog {

	private static final Logger logger = LoggerFactory.getLogger("twod.wsgi.access");

	private static final AccessLog INSTANCE = new AccessLog(Clock.systemDefaultZone());

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	/** The value is one char per byte received. */
	private static final int BYTES = 1;

	/** The field is not in quotes: a space must be escaped too. */
	private static final int UNQUOTED = 2;

	private final Clock clock;

	private volatile FormattedSecond second = new FormattedSecond(Long.MIN_VALUE, "");

	private record FormattedSecond(long epochSecond, String text) {
	}

	AccessLog(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Logs a request that took {@code nanos}.
	 * @param bodyBytes the response body bytes written to the container ({@code $body_bytes_sent}; of
	 * a response cut short, those written before the failure), or -1 when the gateway does not know them (an error page of the
	 * container's): logged as {@code -}
	 */
	public static void log(HttpServletRequest request, HttpServletResponse response, long bodyBytes, long nanos) {
		if (logger.isInfoEnabled()) {
			logger.info(INSTANCE.line(request, response, bodyBytes, nanos));
		}
	}

	/**
	 * The request's line:
	 * {@code addr - user [time] "METHOD uri?query PROTOCOL" status bytes "referer" "agent" micros}.
	 */
	String line(HttpServletRequest request, HttpServletResponse response, long bodyBytes, long nanos) {
		StringBuilder line = new StringBuilder(160);
		// Unquoted fields: a space would end them too. The address may come from X-Forwarded-For
		// (Tomcat's RemoteIpValve, Spring's ForwardedHeaderFilter), that is, from the client.
		field(line, request.getRemoteAddr(), BYTES | UNQUOTED);
		line.append(" - ");
		field(line, request.getRemoteUser(), UNQUOTED);
		line.append(" [").append(now()).append("] \"");
		append(line, request.getMethod(), BYTES);
		line.append(' ');
		append(line, request.getRequestURI(), BYTES);
		String query = request.getQueryString();
		if (query != null) {
			// "?" alone for an empty query, as the client sent it
			line.append('?');
			append(line, query, BYTES);
		}
		line.append(' ');
		append(line, request.getProtocol(), BYTES);
		line.append("\" ").append(response.getStatus()).append(' ');
		if (bodyBytes >= 0) {
			line.append(bodyBytes);
		}
		else {
			line.append('-');
		}
		line.append(" \"");
		field(line, request.getHeader("Referer"), BYTES);
		line.append("\" \"");
		field(line, request.getHeader("User-Agent"), BYTES);
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

	/** A whole field: {@code value} escaped, or "-" if there is none. */
	private static void field(StringBuilder line, String value, int how) {
		if (value == null || value.isEmpty()) {
			line.append('-');
		}
		else {
			append(line, value, how);
		}
	}

	/**
	 * {@code value} escaped as nginx's {@code escape=default} does: printable ASCII as it is, but
	 * for a double quote and a backslash (and a space in an unquoted field), anything else as
	 * {@code \xHH}. With {@link #BYTES} the value is one char per byte received (the request line and
	 * headers, as the container gives them), so a char below 0x100 stands for that byte; otherwise (a
	 * user name) what is escaped is the value's UTF-8.
	 */
	private static void append(StringBuilder line, String value, int how) {
		if (value == null) {
			return;
		}
		boolean bytes = (how & BYTES) != 0;
		boolean unquoted = (how & UNQUOTED) != 0;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if ((c > 0x20 && c < 0x7f && c != '"' && c != '\\') || (c == ' ' && !unquoted)) {
				line.append(c);
			}
			else if (c < 0x80 || (bytes && c < 0x100)) {
				appendHex(line, c);
			}
			else {
				boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
						&& Character.isLowSurrogate(value.charAt(i + 1));
				int end = pair ? i + 2 : i + 1;
				// A lone surrogate has no UTF-8: getBytes gives '?' for it, logged as \x3F.
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
