package io.github.twodwsgi.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.twodwsgi.worker.PythonJson;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Builds the PEP 3333 environ of a servlet request and encodes it for the worker. Strings are
 * native strings as PEP 3333 defines them: each char is one byte (latin-1); text that latin-1
 * cannot hold (a decoded path, a user name) travels as its UTF-8 bytes, as servers do for PATH_INFO.
 */
public final class Environ {

	private Environ() {
	}

	/** Key under which values that are not strings travel, as JSON; the worker removes it. */
	static final String TYPED_VALUES_KEY = "twod.typed";

	/**
	 * The environ of a request.
	 * @param scriptName SCRIPT_NAME, a native string (see {@link #nativeString(String)})
	 * @param pathInfo PATH_INFO, a native string
	 */
	public static Map<String, Object> of(HttpServletRequest request, String scriptName, String pathInfo) {
		return of(request, scriptName, pathInfo, Long.MAX_VALUE);
	}

	/**
	 * The environ of a request whose headers may take at most {@code maxHeaderBytes}.
	 * @throws BadRequestException (431) if the headers are larger
	 */
	public static Map<String, Object> of(HttpServletRequest request, String scriptName, String pathInfo,
			long maxHeaderBytes) {
		Map<String, Object> environ = new LinkedHashMap<>(48);
		environ.put("REQUEST_METHOD", request.getMethod());
		environ.put("SCRIPT_NAME", scriptName);
		environ.put("PATH_INFO", pathInfo);
		String query = request.getQueryString();
		environ.put("QUERY_STRING", (query != null) ? query : "");
		environ.put("SERVER_NAME", request.getServerName());
		environ.put("SERVER_PORT", String.valueOf(request.getServerPort()));
		environ.put("SERVER_PROTOCOL", request.getProtocol());
		environ.put("REMOTE_ADDR", request.getRemoteAddr());
		environ.put("REMOTE_PORT", String.valueOf(request.getRemotePort()));
		Principal principal = request.getUserPrincipal();
		if (principal != null) {
			environ.put("REMOTE_USER", principal.getName());
			String authType = authType(request);
			if (authType != null) {
				environ.put("AUTH_TYPE", authType);
			}
		}
		environ.put("wsgi.url_scheme", request.getScheme());
		if (request.isSecure()) {
			environ.put("HTTPS", "on");
		}
		addHeaders(request, environ, maxHeaderBytes);
		return environ;
	}

	/**
	 * The environ of a request to an app mounted at {@code mount}: SCRIPT_NAME is the context path
	 * plus the mount, PATH_INFO the percent-decoded rest.
	 * @param rawPathWithinApplication the request path after the context path, still percent-encoded
	 * @param mount the mount path ("" for the root)
	 */
	public static Map<String, Object> ofMount(HttpServletRequest request, String rawPathWithinApplication,
			String mount, long maxHeaderBytes) {
		return of(request, percentDecode(request.getContextPath()) + mount,
				percentDecode(rawPathWithinApplication.substring(mount.length())), maxHeaderBytes);
	}

	/**
	 * The container's auth type or, when it has none (Spring Security authenticates in a filter, not
	 * in the container), the scheme of the {@code Authorization} header: {@code Basic}, {@code Bearer}...
	 */
	private static String authType(HttpServletRequest request) {
		String authType = request.getAuthType();
		if (authType != null) {
			return authType;
		}
		String authorization = request.getHeader("Authorization");
		if (authorization == null) {
			return null;
		}
		String scheme = authorization.strip();
		int space = scheme.indexOf(' ');
		scheme = (space < 0) ? scheme : scheme.substring(0, space);
		return (!scheme.isEmpty() && scheme.chars().allMatch((c) -> c > 32 && c < 127)) ? scheme : null;
	}

	/**
	 * Refuses a path that the container had to normalise before it chose the servlet and the filters:
	 * dot segments ({@code ..}, {@code .}, also percent-encoded) and path parameters ({@code ;}).
	 * Given to the app as sent, such a path would say something else than what the filters judged.
	 * @param rawPath the request path after the context path, as sent
	 * @throws BadRequestException (400) for such a path
	 */
	public static void checkNormalized(String rawPath) {
		if (rawPath.indexOf(';') >= 0) {
			throw new BadRequestException("The request path holds path parameters (';'): " + rawPath);
		}
		if (rawPath.indexOf('.') < 0 && rawPath.indexOf('%') < 0) {
			// Most paths: no segment can be a dot segment.
			return;
		}
		int start = 0;
		while (start <= rawPath.length()) {
			int end = rawPath.indexOf('/', start);
			if (end < 0) {
				end = rawPath.length();
			}
			String segment = rawPath.substring(start, end);
			if (segment.indexOf('.') >= 0 || segment.indexOf('%') >= 0) {
				String decoded = segment.replace("%2e", ".").replace("%2E", ".");
				if (decoded.equals(".") || decoded.equals("..")) {
					throw new BadRequestException("The request path is not normalised ('" + segment + "'): " + rawPath);
				}
			}
			start = end + 1;
		}
	}

	/** Whether the request has a body for {@code wsgi.input} to pull. */
	public static boolean hasBody(HttpServletRequest request) {
		long length = request.getContentLengthLong();
		return length > 0 || (length < 0 && request.getHeader("Transfer-Encoding") != null);
	}

	/** Adds the HTTP_* keys, counting the headers' size on the way (about as they were sent). */
	private static void addHeaders(HttpServletRequest request, Map<String, Object> environ, long maxHeaderBytes) {
		long headerBytes = 0;
		for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements();) {
			String name = names.nextElement();
			List<String> values = Collections.list(request.getHeaders(name));
			for (String value : values) {
				headerBytes += name.length() + value.length() + 4;
			}
			if (headerBytes > maxHeaderBytes) {
				throw BadRequestException.headersTooLarge(maxHeaderBytes);
			}
			// "X_Forwarded_For" would shadow "X-Forwarded-For" once both become HTTP_X_FORWARDED_FOR.
			if (name.indexOf('_') >= 0) {
				continue;
			}
			String key = environKey(name);
			String separator = key.equals("HTTP_COOKIE") ? "; " : ", ";
			String value = String.join(separator, values);
			environ.merge(key, value, (first, second) -> first + separator + second);
			// (Servlet containers list a header name once; merging covers one that lists it per case.)
		}
	}

	private static String environKey(String headerName) {
		if (headerName.equalsIgnoreCase("Content-Type")) {
			return "CONTENT_TYPE";
		}
		if (headerName.equalsIgnoreCase("Content-Length")) {
			return "CONTENT_LENGTH";
		}
		StringBuilder key = new StringBuilder(headerName.length() + 5).append("HTTP_");
		for (int i = 0; i < headerName.length(); i++) {
			char c = headerName.charAt(i);
			key.append((c == '-') ? '_' : Character.toUpperCase(c));
		}
		return key.toString();
	}

	/** Percent-decodes a path to bytes and returns them as a native (latin-1) string. */
	public static String percentDecode(String path) {
		if (path.indexOf('%') < 0) {
			return nativeString(path);
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(path.length());
		for (int i = 0; i < path.length(); i++) {
			char c = path.charAt(i);
			if (c == '%') {
				if (i + 2 >= path.length()) {
					throw new BadRequestException("Malformed percent-encoding in request path: " + path);
				}
				int high = Character.digit(path.charAt(i + 1), 16);
				int low = Character.digit(path.charAt(i + 2), 16);
				if (high < 0 || low < 0) {
					throw new BadRequestException("Malformed percent-encoding in request path: " + path);
				}
				bytes.write((high << 4) | low);
				i += 2;
			}
			else if (c < 0x80) {
				bytes.write(c);
			}
			else {
				bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
			}
		}
		return new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1);
	}

	/**
	 * A PEP 3333 native string: the string itself if latin-1 holds it, else its UTF-8 bytes as a
	 * latin-1 string (as servers do for PATH_INFO).
	 */
	public static String nativeString(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (text.charAt(i) > 0xFF) {
				return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
			}
		}
		return text;
	}

	/**
	 * Encodes an environ as the worker reads it: {@code flags} then {@code name\0value\0...} in
	 * latin-1. Strings travel as {@link #nativeString(String) native strings}; other values (see
	 * {@link PythonJson}) travel as one JSON object under {@link #TYPED_VALUES_KEY}.
	 * @throws BadRequestException if a string holds a NUL character
	 * @throws IllegalArgumentException if a value has a type Python cannot be given
	 */
	public static byte[] encode(Map<String, ?> environ, int flags) {
		Block block = new Block(1024);
		block.put((byte) flags);
		StringBuilder typed = null;
		boolean first = true;
		for (Map.Entry<String, ?> entry : environ.entrySet()) {
			String key = entry.getKey();
			Object value = entry.getValue();
			if (!(value instanceof String text)) {
				typed = (typed == null) ? new StringBuilder("{") : typed.append(',');
				String where = "environ['" + key + "']";
				PythonJson.appendJson(typed, where, key);
				PythonJson.appendJson(typed.append(':'), where, value);
				continue;
			}
			if (!first) {
				block.put((byte) 0);
			}
			first = false;
			block.putNative(key, key).put((byte) 0).putNative(text, key);
		}
		if (typed != null) {
			if (!first) {
				block.put((byte) 0);
			}
			block.putNative(TYPED_VALUES_KEY, TYPED_VALUES_KEY).put((byte) 0).putNative(typed.append('}').toString(),
					TYPED_VALUES_KEY);
		}
		return block.toByteArray();
	}

	/** A growable byte array holding the encoded environ. */
	private static final class Block {

		private byte[] bytes;

		private int size;

		Block(int capacity) {
			this.bytes = new byte[capacity];
		}

		Block put(byte value) {
			ensure(1);
			this.bytes[this.size++] = value;
			return this;
		}

		Block putNative(String text, String key) {
			ensure(text.length());
			int start = this.size;
			for (int i = 0; i < text.length(); i++) {
				char c = text.charAt(i);
				if (c == 0) {
					throw new BadRequestException("The value of " + key
							+ " cannot be passed to a WSGI app: it holds a NUL character");
				}
				if (c > 0xFF) {
					// Beyond latin-1: the whole value travels as its UTF-8 bytes.
					this.size = start;
					byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
					ensure(utf8.length);
					System.arraycopy(utf8, 0, this.bytes, this.size, utf8.length);
					this.size += utf8.length;
					return this;
				}
				this.bytes[this.size++] = (byte) c;
			}
			return this;
		}

		private void ensure(int more) {
			if (this.size + more > this.bytes.length) {
				this.bytes = Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.size + more));
			}
		}

		byte[] toByteArray() {
			return Arrays.copyOf(this.bytes, this.size);
		}

	}

}
