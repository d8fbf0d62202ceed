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
 * Starts one worker process and brings it to READY: launch the interpreter, hand it the run's
 * secret on stdin, connect to its socket, say HELLO and wait until the app is imported.
 */
final class WorkerLauncher {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final WorkerSpec spec;

	private final byte[] secret;

	private final ScheduledExecutorService scheduler;

	private final Consumer<Process> onProcessStarted;

	private final byte[] bootConfiguration;

	private final Duration bootTimeout;

	/**
	 * @param role {@code worker} for a serving worker, {@code once} for the process that runs the
	 * once hooks and exits
	 */
	WorkerLauncher(WorkerSpec spec, String role, ScheduledExecutorService scheduler,
			Consumer<Process> onProcessStarted) {
		this.spec = spec;
		this.scheduler = scheduler;
		this.onProcessStarted = onProcessStarted;
		this.bootConfiguration = spec.bootConfiguration(role).getBytes(StandardCharsets.US_ASCII);
		this.bootTimeout = role.equals("once") ? spec.bootTimeout().plus(spec.boot().onceHooksTimeout())
				: spec.bootTimeout().plus(spec.boot().perWorkerHooks()
					.stream()
					.map(PythonHook::timeout)
					.reduce(Duration.ZERO, Duration::plus));
		byte[] random = new byte[32];
		RANDOM.nextBytes(random);
		this.secret = HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
	}

	Worker launch() {
		Path socket = this.spec.runDirectory().newSocketPath();
		Process process = start(socket);
		PythonOutputRelay stderr = PythonOutputRelay.start(process.getErrorStream(), this.spec.loggerName(),
				Level.WARN, true, "twod-wsgi-" + this.spec.appName() + "-" + process.pid() + "-stderr");
		PythonOutputRelay.start(process.getInputStream(), this.spec.loggerName(), Level.INFO, false,
				"twod-wsgi-" + this.spec.appName() + "-" + process.pid() + "-stdout");
		ScheduledFuture<?> bootTimer = this.scheduler.schedule(process::destroyForcibly, this.bootTimeout.toMillis(),
				TimeUnit.MILLISECONDS);
		try {
			sendSecret(process);
			FrameChannel channel = connect(process, socket);
			return handshake(process, channel);
		}
		catch (IOException ex) {
			process.destroyForcibly();
			throw failure(process, bootTimer, stderr, ex);
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new WorkerBootException(this.spec.appName(), this.spec.appSpec(), "interrupted while starting", "");
		}
		finally {
			bootTimer.cancel(false);
		}
	}

	private Process start(Path socket) {
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
			Process process = builder.start();
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

	private FrameChannel connect(Process process, Path socket) throws IOException, InterruptedException {
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

	private Worker handshake(Process process, FrameChannel channel) throws IOException {
		channel.write(Frames.HELLO, this.secret);
		channel.flush();
		byte type = channel.readFrame();
		if (type == Frames.READY) {
			String ready = new String(channel.readPayload(), StandardCharsets.US_ASCII);
			return new Worker(process, channel, field(ready, "python="));
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

	private WorkerBootException failure(Process process, ScheduledFuture<?> bootTimer, PythonOutputRelay stderr,
			IOException cause) {
		String reason;
		if (bootTimer.isDone() && !bootTimer.isCancelled()) {
			reason = "the worker did not report ready within " + this.bootTimeout.toSeconds()
					+ "s (boot-timeout, plus the timeouts of its startup hooks)";
		}
		else {
			reason = "the worker " + exitDescription(process) + " while starting (" + cause.getMessage() + ")";
		}
		return new WorkerBootException(this.spec.appName(), this.spec.appSpec(), reason, waitForTail(stderr));
	}

	private static String exitDescription(Process process) {
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

	private static String waitForTail(PythonOutputRelay stderr) {
		stderr.awaitEnd(1000);
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
