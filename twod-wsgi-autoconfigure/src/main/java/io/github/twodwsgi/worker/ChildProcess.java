package io.github.twodwsgi.worker;

import java.util.concurrent.CompletableFuture;

/** A process the JVM started itself. */
final class ChildProcess implements WorkerProcess {

	private final Process process;

	private final CompletableFuture<Integer> exit;

	ChildProcess(Process process) {
		this.process = process;
		this.exit = process.onExit().thenApply(Process::exitValue);
	}

	@Override
	public long pid() {
		return this.process.pid();
	}

	@Override
	public CompletableFuture<Integer> onExit() {
		return this.exit;
	}

	@Override
	public void terminate() {
		this.process.destroy();
	}

	@Override
	public void kill() {
		this.process.destroyForcibly();
	}

	Process process() {
		return this.process;
	}

	@Override
	public String toString() {
		return "process " + pid();
	}

}
