package io.github.twodwsgi.operations;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw HTTP requests that a server must refuse (or, for a few odd but valid ones, answer), sent over
 * plain sockets so that no client library tidies them up.
 */
final class MalformedRequests {

	private static final String HOST = "Host: localhost\r\n";

	private MalformedRequests() {
	}

	static List<String> corpus() {
		List<String> corpus = new ArrayList<>();
		// Request lines.
		corpus.add("GET\r\n\r\n");
		corpus.add("GET /sturdy/pid HTTP/1.1\r\r\n\r\n");
		corpus.add("GET /sturdy/pid HTTP/9.9\r\n" + HOST + "\r\n");
		corpus.add("GET /sturdy/pid HTTP/1.1 extra\r\n" + HOST + "\r\n");
		corpus.add("G@T /sturdy/pid HTTP/1.1\r\n" + HOST + "\r\n");
		corpus.add("GET  /sturdy/pid  HTTP/1.1\r\n" + HOST + "\r\n");
		corpus.add("\u0000\u0001\u0002\r\n\r\n");
		corpus.add("GET /sturdy/%zz HTTP/1.1\r\n" + HOST + "\r\n");
		corpus.add("GET /sturdy/%0 HTTP/1.1\r\n" + HOST + "\r\n");
		corpus.add("GET /sturdy/%00 HTTP/1.1\r\n" + HOST + "\r\n");
		corpus.add("GET /sturdy/a\u0001b HTTP/1.1\r\n" + HOST + "\r\n");
		corpus.add("GET /sturdy/../../etc/passwd HTTP/1.1\r\n" + HOST + "\r\n");
		corpus.add("GET /sturdy/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n" + HOST + "\r\n");
		corpus.add("GET /sturdy/a%2Fb HTTP/1.1\r\n" + HOST + "\r\n");
		corpus.add("GET sturdy/pid HTTP/1.1\r\n" + HOST + "\r\n");
		corpus.add("GET /" + "a".repeat(70_000) + " HTTP/1.1\r\n" + HOST + "\r\n");
		corpus.add("GET /sturdy/pid?" + "q=1&".repeat(20_000) + " HTTP/1.1\r\n" + HOST + "\r\n");
		corpus.add("GET /sturdy/pid HTTP/1.1\n" + "Host: localhost\n\n".replace("\n", "\r\n").substring(0, 18));
		// Headers.
		corpus.add("GET /sturdy/pid HTTP/1.1\r\n\r\n");
		corpus.add("GET /sturdy/pid HTTP/1.1\r\n" + HOST + HOST + "\r\n");
		corpus.add("GET /sturdy/pid HTTP/1.1\r\n" + HOST + "NoColonHere\r\n\r\n");
		corpus.add("GET /sturdy/pid HTTP/1.1\r\n" + HOST + ": empty name\r\n\r\n");
		corpus.add("GET /sturdy/pid HTTP/1.1\r\n" + HOST + "Bad Name: x\r\n\r\n");
		corpus.add("GET /sturdy/pid HTTP/1.1\r\n" + HOST + "X-Folded: a\r\n b\r\n\r\n");
		corpus.add("GET /sturdy/pid HTTP/1.1\r\n" + HOST + "X-Ctl: a\u0001b\r\n\r\n");
		corpus.add("GET /sturdy/pid HTTP/1.1\r\n" + HOST + "X-Nul: a\u0000b\r\n\r\n");
		corpus.add("GET /sturdy/pid HTTP/1.1\r\n" + HOST + "X-Huge: " + "h".repeat(20_000) + "\r\n\r\n");
		corpus.add("GET /sturdy/pid HTTP/1.1\r\n" + HOST + "X-Many: 1\r\n".repeat(5_000) + "\r\n");
		corpus.add("GET /limited/pid HTTP/1.1\r\n" + HOST + "X-Big: " + "b".repeat(4_000) + "\r\n\r\n");
		corpus.add("GET /sturdy/pid HTTP/1.1\r\n" + HOST + "Expect: 200-ok\r\n\r\n");
		// Bodies, lengths and encodings.
		corpus.add("POST /sturdy/sha256 HTTP/1.1\r\n" + HOST + "Content-Length: abc\r\n\r\n");
		corpus.add("POST /sturdy/sha256 HTTP/1.1\r\n" + HOST + "Content-Length: -5\r\n\r\n");
		corpus.add("POST /sturdy/sha256 HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello");
		corpus.add("POST /sturdy/sha256 HTTP/1.1\r\n" + HOST + "Content-Length: 99999999999999999999\r\n\r\n");
		corpus.add("POST /sturdy/sha256 HTTP/1.1\r\n" + HOST
				+ "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
		corpus.add("POST /sturdy/sha256 HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
		corpus.add("POST /sturdy/sha256 HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n");
		corpus.add("POST /sturdy/sha256 HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n-1\r\n\r\n");
		corpus.add("POST /sturdy/sha256 HTTP/1.1\r\n" + HOST
				+ "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n\r\n");
		corpus.add("POST /sturdy/sha256 HTTP/1.1\r\n" + HOST + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");
		corpus.add("POST /sturdy/sha256 HTTP/1.1\r\n" + HOST + "Transfer-Encoding: identity\r\n\r\n");
		corpus.add("POST /sturdy/sha256 HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked"
				+ "\r\n\r\n0\r\n\r\n");
		corpus.add("POST /sturdy/sha256 HTTP/1.1\r\n" + HOST + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n");
		corpus.add("POST /sturdy/sha256 HTTP/1.0\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
		corpus.add("POST /limited/sha256 HTTP/1.1\r\n" + HOST + "Content-Length: 5000\r\n\r\n" + "x".repeat(5000));
		corpus.add("POST /limited/sha256 HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n"
				+ "800\r\n" + "y".repeat(2048) + "\r\n0\r\n\r\n");
		corpus.add("POST /limited/sha256 HTTP/1.1\r\n" + HOST + "Content-Length: 100000000\r\n\r\nshort");
		corpus.add("POST /sturdy/sha256 HTTP/1.1\r\n" + HOST + "Content-Length: 10\r\n\r\nshort");
		// Methods and targets.
		corpus.add("TRACE /sturdy/pid HTTP/1.1\r\n" + HOST + "\r\n");
		corpus.add("CONNECT localhost:80 HTTP/1.1\r\n" + HOST + "\r\n");
		corpus.add("OPTIONS * HTTP/1.1\r\n" + HOST + "\r\n");
		corpus.add("GET http://elsewhere.example/sturdy/pid HTTP/1.1\r\n" + HOST + "\r\n");
		corpus.add("GET /sturdy/pid HTTP/1.1\r\nHost: a b c\r\n\r\n");
		corpus.add("GET /sturdy/pid HTTP/1.1\r\nHost: localhost:notaport\r\n\r\n");
		corpus.add("GET /sturdy/pid HTTP/1.1\r\n" + HOST + "Upgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\n"
				+ "HTTP2-Settings: !!!\r\n\r\n");
		corpus.add("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
		return corpus;
	}

	/**
	 * Sends raw bytes and returns the status code of the answer, or {@code closed} if the server
	 * closed the connection without one.
	 */
	static String send(int port, String raw) throws IOException {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			try {
				out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
				out.flush();
				socket.shutdownOutput();
			}
			catch (IOException ex) {
				return "closed";
			}
			return statusOf(socket.getInputStream());
		}
	}

	/** Sends a request a byte at a time with pauses: a slow client. */
	static String sendSlowly(int port, String raw) throws IOException, InterruptedException {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			for (byte b : raw.getBytes(StandardCharsets.ISO_8859_1)) {
				out.write(b);
				out.flush();
				Thread.sleep(5);
			}
			return statusOf(socket.getInputStream());
		}
	}

	private static String statusOf(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		try {
			int c;
			while ((c = in.read()) >= 0 && c != '\n') {
				line.append((char) c);
			}
		}
		catch (SocketTimeoutException ex) {
			return "hang";
		}
		catch (IOException ex) {
			return "closed";
		}
		String status = line.toString().strip();
		if (status.isEmpty()) {
			return "closed";
		}
		String[] parts = status.split(" ");
		return (parts.length > 1) ? parts[1] : "garbled: " + status;
	}

}
