package io.github.twodwsgi.worker;

import java.util.concurrent.CompletableFuture;

/**
 * A worker that an app's fork server forked. It is not the JVM's child: its exit is reported by the
 * fork server, which reaps it. It is signalled through a handle taken when its fork was reported,
 * which checks the process's start time, so that a reused pid is never signalled.
 */
final class ForkedProcess implements WorkerProcess {

	/** What a worker counts as when its fork server died: killed by the kernel with it (SIGKILL). */
	static final int KILLED_WITH_PARENT = 128 + 9;

	private final long pid;

	private final CompletableFuture<Integer> exit = new CompletableFuture<>();

	private volatile boolean diedWithParent;

	/**
	 * Taken when the fork is reported, while the process is the fork server's child: a handle checks
	 * the process's start time before it signals, so a reused pid is refused.
	 */
	private final ProcessHandle handle;

	ForkedProcess(long pid) {
		this.pid = pid;
		this.handle = ProcessHandle.of(pid).orElse(null);
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
			if (this.handle != null) {
				this.handle.destroyForcibly();
			}
			this.diedWithParent = true;
			this.exit.complete(KILLED_WITH_PARENT);
		}
	}

	/** Whether it ended because its fork server did. */
	boolean diedWithParent() {
		return this.diedWithParent;
	}

	private void signal(boolean force) {
		if (this.exit.isDone() || this.handle == null) {
			return;
		}
		if (force) {
			this.handle.destroyForcibly();
		}
		else {
			this.handle.destroy();
		}
	}

	@Override
	public String toString() {
		return "process " + this.pid;
	}

}
