package io.github.twodwsgi.worker;

import java.util.Locale;

/**
 * Why a worker was replaced; the tag of the {@code wsgi.worker.restarts} counter.
 */
public enum RestartReason {

	/** It died by itself (a crash, {@code os._exit}, a signal from outside). */
	CRASHED,

	/** It ran a request past the request timeout and was killed. */
	TIMEOUT,

	/** Its connection failed or it broke the protocol, and it was killed. */
	FAILED,

	/** It served its max-requests (plus jitter). */
	MAX_REQUESTS,

	/** Its resident memory grew past max-memory. */
	MAX_MEMORY,

	/** Its app's Python code changed (reload). */
	RELOAD;

	/** The tag value: {@code max-requests}, say. */
	public String tag() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
