package io.github.twodwsgi.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the tests that talk to the application over real HTTP on its random port.
 */
public abstract class LocalHttpTests {

	protected static final JsonMapper json = JsonMapper.builder().build();

	protected final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	protected int port;

	protected HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(60));
	}

	protected HttpResponse<String> get(String path) throws Exception {
		return send(request(path).build());
	}

	protected HttpResponse<String> send(HttpRequest request) throws Exception {
		return this.client.send(request, BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	/** The JSON object of a 200 response. */
	@SuppressWarnings("unchecked")
	protected static Map<String, Object> json(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readValue(response.body(), Map.class);
	}

	/** Sends a raw request and reads what comes back until the server closes or resets the connection. */
	protected String exchange(String raw) throws IOException {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(15_000);
			socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
			return readAll(socket.getInputStream());
		}
	}

	protected static String readAll(InputStream in) throws IOException {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			int count;
			while ((count = in.read(buffer)) > 0) {
				received.write(buffer, 0, count);
			}
		}
		catch (SocketException ex) {
			// a reset: what arrived before it is the answer
		}
		catch (SocketTimeoutException ex) {
			throw new AssertionError("the server neither answered nor closed within 15 s; got: " + received, ex);
		}
		return received.toString(StandardCharsets.ISO_8859_1);
	}

}
