package io.github.twodwsgi.worker;

import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.event.Level;

/**
 * Brings workers to READY. Without preload each worker is a process of its own: launch the
 * interpreter, hand it the run's secret on stdin, connect to its socket, say HELLO and wait until the
 * app is imported. With preload the fork server is launched that way, and each worker is forked from
 * it; the JVM then connects to the new worker as to any other. A worker with several threads gets a
 * connection per thread, each opened with HELLO and answered with READY.
 */
final class WorkerLauncher {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final WorkerSpec spec;

	private final String role;

	private final byte[] secret;

	private final ScheduledExecutorService scheduler;

	private final Consumer<WorkerProcess> onProcessStarted;

	private final byte[] bootConfiguration;

	private final Duration bootTimeout;

	/**
	 * @param role {@code worker} for a serving worker, {@code once} for the process that runs the
	 * once hooks and exits, {@code preload} for the fork server
	 */
	WorkerLauncher(WorkerSpec spec, String role, ScheduledExecutorService scheduler,
			Consumer<WorkerProcess> onProcessStarted) {
		this.spec = spec;
		this.role = role;
		this.scheduler = scheduler;
		this.onProcessStarted = onProcessStarted;
		this.bootConfiguration = spec.bootConfiguration(role).getBytes(StandardCharsets.US_ASCII);
		this.bootTimeout = switch (role) {
			case "once" -> spec.bootTimeout().plus(spec.boot().onceHooksTimeout());
			case "preload" -> spec.bootTimeout();
			default -> perWorkerBootTimeout(spec);
		};
		byte[] random = new byte[32];
		RANDOM.nextBytes(random);
		this.secret = HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
	}

	private static Duration perWorkerBootTimeout(WorkerSpec spec) {
		return spec.bootTimeout().plus(spec.boot().perWorkerHooks()
			.stream()
			.map(PythonHook::timeout)
			.reduce(Duration.ZERO, Duration::plus));
	}

	/** Starts a worker process of its own (or, by role, the process of the once hooks). */
	Worker launch() {
		Path socket = this.spec.runDirectory().newSocketPath();
		ChildProcess process = start(socket);
		PythonOutputRelay stderr = relayOutput(process.process());
		int threads = this.role.equals("once") ? 1 : this.spec.threads();
		return boot(process, socket, stderr, threads, this.bootTimeout);
	}

	/** Starts the app's fork server, ready once it imported the app. */
	ForkServer launchForkServer() {
		Path socket = this.spec.runDirectory().newSocketPath();
		ChildProcess process = start(socket);
		PythonOutputRelay stderr = relayOutput(process.process());
		Worker booted = boot(process, socket, stderr, 1, this.bootTimeout);
		return new ForkServer(this.spec.appName(), process, booted.connections().get(0).channel(), stderr);
	}

	/**
	 * Forks a worker from {@code server}, which this launcher started; ready once its per-worker hooks
	 * have run (or, for the role {@code once}, its once hooks).
	 */
	Worker fork(ForkServer server, String role) {
		Path socket = this.spec.runDirectory().newSocketPath();
		ForkedProcess process;
		try {
			process = server.fork(socket, role, this.spec.bootTimeout());
		}
		catch (IOException ex) {
			throw new WorkerBootException(this.spec.appName(), this.spec.appSpec(),
					"the worker could not be forked (" + ex.getMessage() + ")", server.stderr().tail());
		}
		this.onProcessStarted.accept(process);
		boolean once = role.equals("once");
		Worker worker = boot(process, socket, server.stderr(), once ? 1 : this.spec.threads(),
				once ? this.spec.bootTimeout().plus(this.spec.boot().onceHooksTimeout()) : perWorkerBootTimeout(this.spec));
		worker.forkedBy(server);
		return worker;
	}

	private PythonOutputRelay relayOutput(Process process) {
		PythonOutputRelay stderr = PythonOutputRelay.start(process.getErrorStream(), this.spec.loggerName(),
				Level.WARN, true, "twod-wsgi-" + this.spec.appName() + "-%s-stderr", process.pid());
		PythonOutputRelay.start(process.getInputStream(), this.spec.loggerName(), Level.INFO, false,
				"twod-wsgi-" + this.spec.appName() + "-%s-stdout", process.pid());
		return stderr;
	}

	private Worker boot(WorkerProcess process, Path socket, PythonOutputRelay stderr, int threads,
			Duration timeout) {
		ScheduledFuture<?> bootTimer = this.scheduler.schedule(process::kill, timeout.toMillis(),
				TimeUnit.MILLISECONDS);
		List<FrameChannel> channels = new ArrayList<>();
		try {
			if (process instanceof ChildProcess child) {
				sendSecret(child.process());
			}
			channels.add(connect(process, socket));
			String ready = handshake(channels.get(0));
			// A connection per further thread: all say HELLO before the worker stops listening and
			// answers them.
			while (channels.size() < threads) {
				FrameChannel more = FrameChannel.connect(socket);
				channels.add(more);
				sayHello(more);
			}
			for (FrameChannel more : channels.subList(1, channels.size())) {
				awaitReady(more);
			}
			return new Worker(process, channels, field(ready, "python="));
		}
		catch (IOException ex) {
			process.kill();
			closeAll(channels);
			throw failure(process, bootTimer, timeout, stderr, ex);
		}
		catch (InterruptedException ex) {
			process.kill();
			closeAll(channels);
			Thread.currentThread().interrupt();
			throw new WorkerBootException(this.spec.appName(), this.spec.appSpec(), "interrupted while starting", "");
		}
		catch (RuntimeException ex) {
			process.kill();
			closeAll(channels);
			throw ex;
		}
		finally {
			bootTimer.cancel(false);
		}
	}

	private static void closeAll(List<FrameChannel> channels) {
		for (FrameChannel channel : channels) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// The process is killed anyway.
			}
		}
	}

	private ChildProcess start(Path socket) {
		ProcessBuilder builder = new ProcessBuilder(command(socket));
		Map<String, String> environment = builder.environment();
		environment.putAll(this.spec.environment());
		String inherited = environment.get("PYTHONPATH");
		String workerCode = this.spec.runDirectory().workerCode().toString();
		environment.put("PYTHONPATH", (inherited == null || inherited.isEmpty()) ? workerCode
				: workerCode + File.pathSeparator + inherited);
		environment.put("PYTHONUNBUFFERED", "1");
		environment.put("PYTHONIOENCODING", "utf-8");
		try {
			ChildProcess process = new ChildProcess(builder.start());
			this.onProcessStarted.accept(process);
			return process;
		}
		catch (IOException ex) {
			throw new PythonInterpreterNotFoundException(this.spec.appName(), this.spec.interpreter(), ex);
		}
	}

	private List<String> command(Path socket) {
		List<String> command = new ArrayList<>(List.of(this.spec.interpreter(), "-u", "-m", "twod_wsgi.worker",
				"--name", this.spec.appName(), "--app", this.spec.appSpec(), "--socket", socket.toString(),
				"--log-level", PythonOutputRelay.pythonLevelFor(this.spec.loggerName())));
		for (Path entry : this.spec.pythonPath()) {
			command.add("--python-path");
			command.add(entry.toString());
		}
		return command;
	}

	private void sendSecret(Process process) throws IOException {
		OutputStream stdin = process.getOutputStream();
		stdin.write(this.secret);
		stdin.write('\n');
		stdin.write(this.bootConfiguration);
		stdin.write('\n');
		stdin.flush();
		// stdin stays open for the worker's whole life: its end tells the worker that the JVM is gone.
	}

	private FrameChannel connect(WorkerProcess process, Path socket) throws IOException, InterruptedException {
		long pause = 2;
		while (true) {
			if (Files.exists(socket)) {
				try {
					return FrameChannel.connect(socket);
				}
				catch (IOException ex) {
					// Bound but not yet listening: try again.
				}
			}
			if (!process.isAlive()) {
				throw new EOFException("the worker exited before it opened its socket");
			}
			Thread.sleep(pause);
			pause = Math.min(pause * 2, 50);
		}
	}

	/** Says HELLO with the secret and waits for READY; gives READY's payload. */
	private String handshake(FrameChannel channel) throws IOException {
		sayHello(channel);
		return awaitReady(channel);
	}

	private void sayHello(FrameChannel channel) throws IOException {
		channel.write(Frames.HELLO, this.secret);
		channel.flush();
	}

	private String awaitReady(FrameChannel channel) throws IOException {
		byte type = channel.readFrame();
		if (type == Frames.READY) {
			return new String(channel.readPayload(), StandardCharsets.US_ASCII);
		}
		if (type == Frames.BOOT_ERROR) {
			// The worker's report: a one-line reason, then the Python traceback.
			String[] report = new String(channel.readPayload(), StandardCharsets.UTF_8).split("\n", 2);
			channel.close();
			throw new WorkerBootException(this.spec.appName(), this.spec.appSpec(), report[0],
					(report.length > 1) ? report[1] : "");
		}
		channel.close();
		throw new IOException("the worker answered HELLO with an unexpected frame '" + (char) type + "'");
	}

	private WorkerBootException failure(WorkerProcess process, ScheduledFuture<?> bootTimer, Duration timeout,
			PythonOutputRelay stderr, IOException cause) {
		String reason;
		if (bootTimer.isDone() && !bootTimer.isCancelled()) {
			reason = "the worker did not report ready within " + timeout.toSeconds()
					+ "s (boot-timeout, plus the timeouts of its startup hooks)";
		}
		else {
			reason = "the worker " + exitDescription(process) + " while starting (" + cause.getMessage() + ")";
		}
		return new WorkerBootException(this.spec.appName(), this.spec.appSpec(), reason,
				waitForTail(stderr, process instanceof ChildProcess));
	}

	private static String exitDescription(WorkerProcess process) {
		try {
			if (process.waitFor(2, TimeUnit.SECONDS)) {
				return WorkerExitCode.describe(process.exitValue());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return "stopped answering";
	}

	/**
	 * The last lines on stderr; a process of its own is waited for until its stderr ends, while a forked
	 * worker shares its fork server's stderr, which stays open: its last lines get a moment to arrive.
	 */
	private static String waitForTail(PythonOutputRelay stderr, boolean ownStderr) {
		stderr.awaitEnd(ownStderr ? 1000 : 200);
		return stderr.tail();
	}

	private static String field(String text, String prefix) {
		for (String part : text.split(" ")) {
			if (part.startsWith(prefix)) {
				return part.substring(prefix.length());
			}
		}
		return "";
	}

}
