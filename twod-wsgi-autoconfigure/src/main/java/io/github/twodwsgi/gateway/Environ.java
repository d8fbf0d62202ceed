package io.github.twodwsgi.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Builds the PEP 3333 environ of a servlet request and encodes it for the worker. Strings are
 * native strings as PEP 3333 defines them: each char is one byte (latin-1); text that latin-1
 * cannot hold (a decoded path, a user name) travels as its UTF-8 bytes, as servers do for PATH_INFO.
 */
public final class Environ {

	private Environ() {
	}

	/**
	 * The environ of a request to an app mounted at {@code mount}.
	 * @param rawPathWithinApplication the request path after the context path, still percent-encoded
	 * @param mount the mount path ("" for the root)
	 */
	public static Map<String, String> of(HttpServletRequest request, String rawPathWithinApplication, String mount) {
		Map<String, String> environ = new LinkedHashMap<>(48);
		environ.put("REQUEST_METHOD", request.getMethod());
		environ.put("SCRIPT_NAME", percentDecode(request.getContextPath()) + mount);
		environ.put("PATH_INFO", percentDecode(rawPathWithinApplication.substring(mount.length())));
		String query = request.getQueryString();
		environ.put("QUERY_STRING", (query != null) ? query : "");
		environ.put("SERVER_NAME", request.getServerName());
		environ.put("SERVER_PORT", String.valueOf(request.getServerPort()));
		environ.put("SERVER_PROTOCOL", request.getProtocol());
		environ.put("REMOTE_ADDR", request.getRemoteAddr());
		environ.put("REMOTE_PORT", String.valueOf(request.getRemotePort()));
		Principal principal = request.getUserPrincipal();
		if (principal != null) {
			environ.put("REMOTE_USER", nativeString(principal.getName()));
			String authType = request.getAuthType();
			if (authType != null) {
				environ.put("AUTH_TYPE", authType);
			}
		}
		environ.put("wsgi.url_scheme", request.getScheme());
		if (request.isSecure()) {
			environ.put("HTTPS", "on");
		}
		addHeaders(request, environ);
		return environ;
	}

	/** Whether the request has a body for {@code wsgi.input} to pull. */
	public static boolean hasBody(HttpServletRequest request) {
		long length = request.getContentLengthLong();
		return length > 0 || (length < 0 && request.getHeader("Transfer-Encoding") != null);
	}

	private static void addHeaders(HttpServletRequest request, Map<String, String> environ) {
		for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements();) {
			String name = names.nextElement();
			// "X_Forwarded_For" would shadow "X-Forwarded-For" once both become HTTP_X_FORWARDED_FOR.
			if (name.indexOf('_') >= 0) {
				continue;
			}
			String key = environKey(name);
			String separator = key.equals("HTTP_COOKIE") ? "; " : ", ";
			String value = String.join(separator, Collections.list(request.getHeaders(name)));
			environ.merge(key, value, (first, second) -> first + separator + second);
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
	static String percentDecode(String path) {
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

	/** The string itself if latin-1 holds it, else its UTF-8 bytes as a latin-1 string. */
	static String nativeString(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (text.charAt(i) > 0xFF) {
				return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
			}
		}
		return text;
	}

	/**
	 * Encodes an environ as the worker reads it: {@code flags} then {@code name\0value\0...}.
	 * @throws BadRequestException if a value holds a NUL character or a char beyond latin-1
	 */
	public static byte[] encode(Map<String, String> environ, int flags) {
		int size = 1;
		for (Map.Entry<String, String> entry : environ.entrySet()) {
			size += entry.getKey().length() + entry.getValue().length() + 2;
		}
		byte[] block = new byte[environ.isEmpty() ? 1 : size - 1];
		block[0] = (byte) flags;
		int position = 1;
		boolean first = true;
		for (Map.Entry<String, String> entry : environ.entrySet()) {
			if (!first) {
				block[position++] = 0;
			}
			first = false;
			position = put(block, position, entry.getKey(), entry.getKey());
			block[position++] = 0;
			position = put(block, position, entry.getValue(), entry.getKey());
		}
		return block;
	}

	private static int put(byte[] block, int position, String text, String key) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == 0 || c > 0xFF) {
				throw new BadRequestException("The value of " + key + " cannot be passed to a WSGI app: it holds "
						+ ((c == 0) ? "a NUL character" : "a character beyond latin-1"));
			}
			block[position++] = (byte) c;
		}
		return position;
	}

}
