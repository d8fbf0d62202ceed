package io.github.twodwsgi.worker;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Python startup hook: {@code call(*args, **kwargs)}, within {@code timeout}.
 *
 * @param call the callable, {@code module:callable}
 * @param args positional arguments
 * @param kwargs keyword arguments
 * @param timeout how long the hook may run
 */
public record PythonHook(String call, List<Object> args, Map<String, Object> kwargs, Duration timeout) {

	public PythonHook {
		args = List.copyOf(args);
		kwargs = Map.copyOf(kwargs);
	}

	Map<String, Object> toJson() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("call", this.call);
		json.put("args", this.args);
		json.put("kwargs", this.kwargs);
		json.put("timeout", this.timeout.toMillis() / 1000.0);
		return json;
	}

}
