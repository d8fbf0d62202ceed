package io.github.twodwsgi.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * A request to a mounted app, as the servlet filters in front of the app see it: its body belongs to
 * the app. Nothing a filter does (reading parameters, as Spring Security's CSRF filter and Spring's
 * {@code FormContentFilter} do, or reading the body itself) can consume it: whenever a filter needs
 * the body, it is read whole into a {@link BufferedBody} first, filters get a copy, and the app
 * later gets the exact bytes the client sent.
 * <p>
 * Parameters are what the container would give: those of the query string and, for a
 * {@code POST} of {@code application/x-www-form-urlencoded}, those of the body. Multipart bodies are
 * not parsed for parameters (the app parses them).
 * <p>
 * The filter that wraps requests ({@link MountedRequestFilter}) closes the request when it ends,
 * which deletes a buffered body's temporary file.
 */
public final class MountedRequest extends HttpServletRequestWrapper implements AutoCloseable {

	/** The request attribute under which the innermost filters and the mount find this request. */
	public static final String ATTRIBUTE = MountedRequest.class.getName();

	private final BodyPolicy policy;

	private BufferedBody body;

	/** Why the body could not be read whole, once that was tried. */
	private IOException bodyFailure;

	private ServletInputStream filterInput;

	private BufferedReader filterReader;

	private InputStream appInput;

	private Map<String, String[]> parameters;

	/**
	 * How a mounted app's request bodies are read.
	 * @param buffering whether the whole body is read before a worker is taken
	 * @param maxBodySize most body bytes accepted, -1 for no limit
	 * @param memoryThreshold bytes of a buffered body kept in memory; the rest goes to a file
	 * @param bufferDirectory where such files are created
	 */
	public record BodyPolicy(boolean buffering, long maxBodySize, int memoryThreshold, Path bufferDirectory) {
	}

	private MountedRequest(HttpServletRequest request, BodyPolicy policy) {
		super(request);
		this.policy = policy;
	}

	/** Wraps {@code request} and makes the wrapper findable by {@link #of} for the rest of the request. */
	public static MountedRequest wrap(HttpServletRequest request, BodyPolicy policy) {
		MountedRequest mounted = new MountedRequest(request, policy);
		request.setAttribute(ATTRIBUTE, mounted);
		return mounted;
	}

	/** The wrapper a filter put around this request, or {@code null}. */
	public static MountedRequest of(HttpServletRequest request) {
		return (request.getAttribute(ATTRIBUTE) instanceof MountedRequest mounted) ? mounted : null;
	}

	/** Whether the request announces a body (a Content-Length above 0, or a chunked body). */
	public boolean hasBody() {
		return Environ.hasBody(this);
	}

	/**
	 * Reads the whole body, unless that was done (or tried) already.
	 * @throws IOException why the body could not be read: {@link BufferedBody.BodyTooLargeException}
	 * past {@code max-body-size}, a {@link SocketTimeoutException} (possibly as a cause) when the client
	 * stalled, another IOException for a malformed body or a client gone
	 */
	public BufferedBody bufferBody() throws IOException {
		if (this.body == null && this.bodyFailure == null) {
			if (this.appInput != null) {
				throw new IllegalStateException("The body of this request already streams to the app");
			}
			try {
				long declared = getContentLengthLong();
				if (this.policy.maxBodySize() >= 0 && declared > this.policy.maxBodySize()) {
					throw new BufferedBody.BodyTooLargeException(this.policy.maxBodySize());
				}
				this.body = hasBody() ? BufferedBody.read(super.getInputStream(), this.policy.maxBodySize(),
						this.policy.memoryThreshold(), this.policy.bufferDirectory()) : BufferedBody.empty();
			}
			catch (IOException ex) {
				this.bodyFailure = ex;
			}
		}
		if (this.bodyFailure != null) {
			throw this.bodyFailure;
		}
		return this.body;
	}

	/** Whether reading the body whole was tried, by a filter or by the mount. */
	public boolean isBufferingStarted() {
		return this.body != null || this.bodyFailure != null;
	}

	/** Whether the body was read whole (by {@link #bufferBody()}). */
	public boolean isBuffered() {
		return this.body != null;
	}

	/** Whether the app has body bytes to read: those buffered, or those the client announced. */
	public boolean hasBodyForApp() {
		return (this.body != null) ? this.body.length() > 0 : hasBody();
	}

	/** Whether the app will read its body straight from the client, as it arrives. */
	public boolean isStreamingBody() {
		return this.body == null && hasBody();
	}

	/**
	 * The body as the app reads it: from the buffer when it was read whole, otherwise straight from
	 * the client. The same stream every time.
	 */
	public InputStream appInput() throws IOException {
		if (this.appInput == null) {
			this.appInput = (this.body != null) ? this.body.open() : super.getInputStream();
		}
		return this.appInput;
	}

	@Override
	public ServletInputStream getInputStream() throws IOException {
		if (this.filterReader != null) {
			throw new IllegalStateException("getReader() was called already");
		}
		if (this.filterInput == null) {
			this.filterInput = new CopyInputStream(bufferBody().open());
		}
		return this.filterInput;
	}

	@Override
	public BufferedReader getReader() throws IOException {
		if (this.filterInput != null && this.filterReader == null) {
			throw new IllegalStateException("getInputStream() was called already");
		}
		if (this.filterReader == null) {
			this.filterReader = new BufferedReader(new InputStreamReader(bufferBody().open(), charset()));
		}
		return this.filterReader;
	}

	@Override
	public String getParameter(String name) {
		String[] values = parameters().get(name);
		return (values != null) ? values[0] : null;
	}

	@Override
	public Map<String, String[]> getParameterMap() {
		return Collections.unmodifiableMap(parameters());
	}

	@Override
	public Enumeration<String> getParameterNames() {
		return Collections.enumeration(parameters().keySet());
	}

	@Override
	public String[] getParameterValues(String name) {
		String[] values = parameters().get(name);
		return (values != null) ? values.clone() : null;
	}

	/** Deletes the buffered body's temporary file, if any. */
	@Override
	public void close() {
		if (this.body != null) {
			this.body.close();
		}
	}

	private Map<String, String[]> parameters() {
		if (this.parameters == null) {
			Map<String, List<String>> values = new LinkedHashMap<>();
			parse(getQueryString(), StandardCharsets.UTF_8, values);
			if (isFormPost()) {
				try {
					parse(new String(bufferBody().open().readAllBytes(), StandardCharsets.ISO_8859_1), charset(),
							values);
				}
				catch (IOException ex) {
					// The mount answers the failure (413, 408, 400); filters see the query's parameters.
				}
			}
			Map<String, String[]> parameters = new LinkedHashMap<>();
			values.forEach((name, list) -> parameters.put(name, list.toArray(String[]::new)));
			this.parameters = parameters;
		}
		return this.parameters;
	}

	/** As the container has it: only a POST's form body carries parameters (Spring's FormContentFilter adds the rest). */
	private boolean isFormPost() {
		String contentType = getContentType();
		return "POST".equals(getMethod()) && contentType != null
				&& contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
	}

	private Charset charset() {
		String encoding = getCharacterEncoding();
		try {
			return (encoding != null) ? Charset.forName(encoding) : StandardCharsets.UTF_8;
		}
		catch (IllegalArgumentException ex) {
			return StandardCharsets.UTF_8;
		}
	}

	/**
	 * Parses {@code a=1&b=2} (latin-1 text holding the raw bytes) into {@code values}; a pair that
	 * cannot be decoded is skipped, as the container skips it.
	 */
	private static void parse(String text, Charset charset, Map<String, List<String>> values) {
		if (text == null || text.isEmpty()) {
			return;
		}
		for (String pair : text.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			try {
				String name = decode((equals < 0) ? pair : pair.substring(0, equals), charset);
				String value = (equals < 0) ? "" : decode(pair.substring(equals + 1), charset);
				values.computeIfAbsent(name, (key) -> new ArrayList<>(1)).add(value);
			}
			catch (IllegalArgumentException ex) {
				// a malformed %-escape
			}
		}
	}

	private static String decode(String latin1, Charset charset) {
		// Undo the latin-1 reading first so that raw non-ASCII bytes decode in the request's charset.
		String raw = new String(latin1.getBytes(StandardCharsets.ISO_8859_1), charset);
		return URLDecoder.decode(raw, charset);
	}

	/** A servlet input stream over a copy of the body. */
	private static final class CopyInputStream extends ServletInputStream {

		private final InputStream body;

		private boolean finished;

		CopyInputStream(InputStream body) {
			this.body = body;
		}

		@Override
		public int read() throws IOException {
			int read = this.body.read();
			this.finished = read < 0;
			return read;
		}

		@Override
		public int read(byte[] target, int offset, int length) throws IOException {
			int read = this.body.read(target, offset, length);
			this.finished = read < 0;
			return read;
		}

		@Override
		public int available() throws IOException {
			return this.body.available();
		}

		@Override
		public boolean isFinished() {
			return this.finished;
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setReadListener(ReadListener listener) {
			throw new IllegalStateException("The body of a mounted request is already buffered: read it blocking");
		}

	}

}
