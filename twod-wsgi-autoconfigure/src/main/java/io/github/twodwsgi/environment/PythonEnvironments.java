package io.github.twodwsgi.environment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Virtual environments built from the apps' requirements, cached: one per interpreter, requirements
 * and pip arguments, shared by every app that asks for the same, built once and reused by every later
 * start. An environment is complete only once its marker file is written, the last step of a build;
 * one without it (a failed build, a JVM killed mid-install) is removed and built again. A file lock
 * per environment keeps two JVMs (and a lock object two threads) from building it at once.
 */
public class PythonEnvironments {

	private static final Logger logger = LoggerFactory.getLogger(PythonEnvironments.class);

	/** Written last: its presence is what makes an environment complete. */
	static final String COMPLETE_MARKER = ".twod-wsgi-complete";

	private static final String REQUIREMENTS_FILE = "twod-wsgi-requirements.txt";

	private static final int OUTPUT_LINES = 60;

	private static final Map<String, Object> BUILDS_IN_THIS_JVM = new ConcurrentHashMap<>();

	private final Path cache;

	public PythonEnvironments(Path cache) {
		this.cache = cache.toAbsolutePath().normalize();
	}

	/**
	 * The environments kept in {@code cache} ({@code twod.wsgi.venv-cache}), or when it is not set in
	 * twod-wsgi/venvs of the user's cache directory, where the XDG base directories place it.
	 */
	public static PythonEnvironments in(String cache) {
		if (cache != null && !cache.isBlank()) {
			return new PythonEnvironments(Path.of(cache));
		}
		String xdg = System.getenv("XDG_CACHE_HOME");
		Path base = (xdg != null && !xdg.isBlank()) ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
		return new PythonEnvironments(base.resolve("twod-wsgi").resolve("venvs"));
	}

	/** The directory the environments are kept in. */
	public Path cache() {
		return this.cache;
	}

	/**
	 * The environment with {@code requirements} installed by {@code base}'s {@code venv} and pip, built
	 * now unless a complete one is cached.
	 * @param pipArgs more arguments of {@code pip install} (they are part of what identifies it)
	 * @throws PythonEnvironmentException if {@code venv} or pip failed
	 */
	public PythonEnvironment prepare(String appName, PythonInterpreter base, Requirements requirements,
			List<String> pipArgs) {
		String key = key(base, requirements, pipArgs);
		Path directory = this.cache.resolve(key);
		if (isComplete(directory)) {
			return new PythonEnvironment(directory, false);
		}
		synchronized (BUILDS_IN_THIS_JVM.computeIfAbsent(key, (k) -> new Object())) {
			try {
				Files.createDirectories(this.cache);
				try (FileChannel lockFile = FileChannel.open(this.cache.resolve(key + ".lock"), StandardOpenOption.CREATE,
						StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
					if (isComplete(directory)) {
						// Another JVM built it while this one waited.
						return new PythonEnvironment(directory, false);
					}
					build(appName, base, requirements, pipArgs, directory);
					return new PythonEnvironment(directory, true);
				}
			}
			catch (IOException ex) {
				throw new PythonEnvironmentException(appName, requirements.description(),
						"the cache " + this.cache + " cannot be used: " + ex, "");
			}
		}
	}

	private void build(String appName, PythonInterpreter base, Requirements requirements, List<String> pipArgs,
			Path directory) throws IOException {
		long start = System.nanoTime();
		if (Files.exists(directory)) {
			logger.info("Removing the incomplete Python environment {} (a build that failed or was interrupted)",
					directory);
			deleteRecursively(directory);
		}
		logger.info("Building the Python environment of WSGI app '{}' in {} (Python {}, requirements {})", appName,
				directory, base.version(), requirements.description());
		Output venv = run(appName, List.of(base.command(), "-m", "venv", directory.toString()));
		if (venv.exitCode() != 0) {
			deleteRecursively(directory);
			throw new PythonEnvironmentException(appName, requirements.description(),
					"'" + base.command() + " -m venv' failed (exit code " + venv.exitCode()
							+ "; on Debian and Ubuntu, venv comes with the package python3-venv)",
					venv.tail());
		}
		Path requirementsFile = directory.resolve(REQUIREMENTS_FILE);
		Files.writeString(requirementsFile, requirements.content());
		List<String> pip = new ArrayList<>(List.of(python(directory).toString(), "-m", "pip", "install",
				"--disable-pip-version-check", "-r", requirementsFile.toString()));
		pip.addAll(pipArgs);
		Output install = run(appName, pip);
		if (install.exitCode() != 0) {
			deleteRecursively(directory);
			throw new PythonEnvironmentException(appName, requirements.description(),
					"pip install failed (exit code " + install.exitCode() + ")", install.tail());
		}
		Files.writeString(directory.resolve(COMPLETE_MARKER),
				"built " + Instant.now() + " by Python " + base.version() + " (" + base.executable() + ") for "
						+ requirements.description() + "\n");
		logger.info("Built the Python environment of WSGI app '{}' in {} ms", appName,
				(System.nanoTime() - start) / 1_000_000);
	}

	/** The environment's interpreter. */
	static Path python(Path environment) {
		return environment.resolve("bin").resolve("python");
	}

	private static boolean isComplete(Path directory) {
		return Files.isRegularFile(directory.resolve(COMPLETE_MARKER)) && Files.isExecutable(python(directory));
	}

	/** What identifies an environment: the interpreter behind it, the requirements, pip's arguments. */
	static String key(PythonInterpreter base, Requirements requirements, List<String> pipArgs) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update((base.version() + "\0" + base.executable() + "\0").getBytes(StandardCharsets.UTF_8));
			digest.update(requirements.content().getBytes(StandardCharsets.UTF_8));
			for (String arg : pipArgs) {
				digest.update(("\0" + arg).getBytes(StandardCharsets.UTF_8));
			}
			return "py" + base.version() + "-" + HexFormat.of().formatHex(digest.digest()).substring(0, 20);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Runs a command, logging what it prints line by line (pip reports each package), and keeps the end. */
	private static Output run(String appName, List<String> command) throws IOException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		process.getOutputStream().close();
		Deque<String> tail = new ArrayDeque<>();
		Logger output = LoggerFactory.getLogger("twod.wsgi." + appName + ".environment");
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				output.info(line);
				if (tail.size() == OUTPUT_LINES) {
					tail.removeFirst();
				}
				tail.addLast(line);
			}
		}
		try {
			return new Output(process.waitFor(), String.join("\n", tail));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
			throw new IOException("interrupted while running " + command.get(0));
		}
	}

	private static void deleteRecursively(Path directory) throws IOException {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
	}

	private record Output(int exitCode, String tail) {
	}

}
