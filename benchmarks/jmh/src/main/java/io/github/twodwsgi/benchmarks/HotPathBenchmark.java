package io.github.twodwsgi.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.twodwsgi.gateway.Environ;
import io.github.twodwsgi.worker.FrameChannel;
import io.github.twodwsgi.worker.Frames;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.mock.web.MockHttpServletRequest;

/**
 * The gateway's Java hot path per request, without Tomcat and without Python: building and encoding
 * the environ of a typical browser request, and a round trip of frames with a stand-in worker that
 * answers every REQUEST with a canned START, DATA and END (as the Python worker does for a hello
 * app). Run with {@code -prof gc} for the allocation per request (see ../jmh.sh).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HotPathBenchmark {

	/** The default of twod.wsgi.apps.&lt;name&gt;.max-header-size. */
	private static final long MAX_HEADER_BYTES = 64 * 1024;

	private MockHttpServletRequest request;

	private Path directory;

	private Thread worker;

	private FrameChannel channel;

	private byte[] environ;

	private final byte[] body = new byte[8192];

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.request = new MockHttpServletRequest("GET", "/plain/some/path");
		this.request.setQueryString("page=2&sort=name");
		this.request.setServerName("localhost");
		this.request.setServerPort(8080);
		this.request.addHeader("Host", "localhost:8080");
		this.request.addHeader("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0");
		this.request.addHeader("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
		this.request.addHeader("Accept-Language", "en-GB,en;q=0.5");
		this.request.addHeader("Accept-Encoding", "gzip, deflate, br");
		this.request.addHeader("Cookie", "session=abc123; theme=dark");
		this.request.addHeader("Connection", "keep-alive");
		this.request.addHeader("Upgrade-Insecure-Requests", "1");
		this.environ = encodeEnviron();
		this.directory = Files.createTempDirectory("twod-wsgi-jmh-");
		Path socket = this.directory.resolve("w.sock");
		ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		server.bind(UnixDomainSocketAddress.of(socket));
		this.worker = new Thread(() -> standInWorker(server), "stand-in-worker");
		this.worker.setDaemon(true);
		this.worker.start();
		this.channel = FrameChannel.connect(socket);
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		this.channel.close();
		Files.deleteIfExists(this.directory.resolve("w.sock"));
		Files.deleteIfExists(this.directory);
	}

	@Benchmark
	public byte[] encodeEnviron() {
		Map<String, Object> values = Environ.ofMount(this.request, "/plain/some/path", "/plain", MAX_HEADER_BYTES);
		return Environ.encode(values, 0);
	}

	@Benchmark
	public int roundTripWithStandInWorker() throws IOException {
		this.channel.write(Frames.REQUEST, this.environ);
		this.channel.flush();
		int read = 0;
		while (true) {
			byte type = this.channel.readFrame();
			if (type == Frames.START) {
				read += new String(this.channel.readPayload(), StandardCharsets.ISO_8859_1).split("\0", -1).length;
			}
			else if (type == Frames.DATA) {
				read += this.channel.readPayload(this.body, 0, this.body.length);
			}
			else if (type == Frames.END) {
				return read;
			}
		}
	}

	/** Answers each REQUEST frame with what a hello app's worker sends: START, DATA, END, one write. */
	private static void standInWorker(ServerSocketChannel server) {
		byte[] start = "200 OK\0Content-Type\0text/plain\0Content-Length\00013".getBytes(StandardCharsets.ISO_8859_1);
		byte[] data = "Hello, World!".getBytes(StandardCharsets.ISO_8859_1);
		ByteBuffer answer = ByteBuffer.allocate(15 + start.length + data.length);
		answer.put(Frames.START).putInt(start.length).put(start);
		answer.put(Frames.DATA).putInt(data.length).put(data);
		answer.put(Frames.END).putInt(0);
		byte[] reply = answer.array();
		try (SocketChannel socket = server.accept()) {
			InputStream in = Channels.newInputStream(socket);
			OutputStream out = Channels.newOutputStream(socket);
			byte[] header = new byte[5];
			while (in.readNBytes(header, 0, 5) == 5) {
				int length = ByteBuffer.wrap(header, 1, 4).getInt();
				in.skipNBytes(length);
				out.write(reply);
			}
		}
		catch (IOException ex) {
			// The benchmark ended.
		}
	}

}
