package io.github.twodwsgi;

/**
 * A {@link WsgiStartupHook} that failed.
 */
public class WsgiStartupHookException extends RuntimeException {

	private final String hook;

	public WsgiStartupHookException(String hook, Throwable cause) {
		super("WSGI startup hook " + hook + " failed: " + cause, cause);
		this.hook = hook;
	}

	/** The hook, as its class names it. */
	public String getHook() {
		return this.hook;
	}

}
