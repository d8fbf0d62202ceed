package io.github.twodwsgi.worker;

import java.util.concurrent.CompletableFuture;

/**
 * A worker that an app's fork server forked. It is not the JVM's child: its exit is reported by the
 * fork server, which reaps it, and it is signalled by pid only while it has not been reaped (so that
 * a reused pid is never signalled).
 */
final class ForkedProcess implements WorkerProcess {

	/** What a worker counts as when its fork server died: killed by the kernel with it (SIGKILL). */
	static final int KILLED_WITH_PARENT = 128 + 9;

	private final long pid;

	private final CompletableFuture<Integer> exit = new CompletableFuture<>();

	private volatile boolean diedWithParent;

	ForkedProcess(long pid) {
		this.pid = pid;
	}

	@Override
	public long pid() {
		return this.pid;
	}

	@Override
	public CompletableFuture<Integer> onExit() {
		return this.exit;
	}

	@Override
	public void terminate() {
		signal(false);
	}

	@Override
	public void kill() {
		signal(true);
	}

	/** The fork server reaped it. */
	void exited(int code) {
		this.exit.complete(code);
	}

	/**
	 * Its fork server is gone, and with it whoever would reap it: it normally died with the parent
	 * (the kernel kills it), and is killed here in case it did not.
	 */
	void parentGone() {
		if (!this.exit.isDone()) {
			ProcessHandle.of(this.pid).ifPresent(ProcessHandle::destroyForcibly);
			this.diedWithParent = true;
			this.exit.complete(KILLED_WITH_PARENT);
		}
	}

	/** Whether it ended because its fork server did. */
	boolean diedWithParent() {
		return this.diedWithParent;
	}

	private synchronized void signal(boolean force) {
		if (this.exit.isDone()) {
			return;
		}
		ProcessHandle.of(this.pid).ifPresent(force ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
	}

	@Override
	public String toString() {
		return "process " + this.pid;
	}

}
