package io.github.twodwsgi;

/**
 * Java code to run at startup, once the WSGI apps' workers are up and their Python once hooks have
 * run, before the application reports that it accepts traffic: declare beans of this type, ordered
 * with {@code @Order}. A hook may call the apps, to warm them up for instance:
 *
 * <pre class="code">
 * &#64;Bean
 * WsgiStartupHook warmUp() {
 *     return (gateway) -&gt; gateway.get("shop", "/").close();
 * }
 * </pre>
 *
 * A hook that throws fails startup. The hooks run in the {@code ApplicationRunner} of twod-wsgi,
 * whose order is {@link #RUNNER_ORDER}.
 */
@FunctionalInterface
public interface WsgiStartupHook {

	/**
	 * The order of the {@code ApplicationRunner} that runs the Python once hooks, then the
	 * {@link WsgiStartupHook}s: runners with a lower order run before it, the others (the default for
	 * an unordered runner) after it.
	 */
	int RUNNER_ORDER = 0;

	/**
	 * Runs the hook.
	 * @param gateway calls the configured apps
	 */
	void onStartup(WsgiGateway gateway) throws Exception;

}
