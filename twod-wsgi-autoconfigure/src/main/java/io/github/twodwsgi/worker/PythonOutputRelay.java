package io.github.twodwsgi.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Turns a worker's stdout or stderr into SLF4J events. Records of Python's {@code logging}
 * arrive as marked lines (see {@code twod_wsgi/logbridge.py}) and keep their level and logger
 * name; other lines are logged at INFO (stdout) or WARN (stderr). The last lines are kept to
 * explain a worker that dies while booting.
 */
final class PythonOutputRelay implements Runnable {

	private static final char RECORD_MARK = '\u001e';

	private static final char FIELD_SEPARATOR = '\u001f';

	private static final char NEWLINE_STANDIN = '\u001d';

	private static final int TAIL_LINES = 40;

	private final InputStream stream;

	private final String loggerName;

	private final Level plainLevel;

	private final boolean records;

	private final Deque<String> tail = new ArrayDeque<>();

	private Thread thread;

	/** The relaying thread's name, with {@code %s} for a pid; {@code null} when not started by start(). */
	private String threadNameFormat;

	/** The pid the relaying thread is named after. */
	private String namedAfter;

	/** The pid of the process whose stream this is. */
	private String ownPid;

	/**
	 * @param records whether the stream carries the log bridge's records (stderr) or only plain text
	 * (stdout, where a line that looks like a record is text like any other)
	 */
	PythonOutputRelay(InputStream stream, String loggerName, Level plainLevel, boolean records) {
		this.stream = stream;
		this.loggerName = loggerName;
		this.plainLevel = plainLevel;
		this.records = records;
	}

	/**
	 * Relays {@code stream} on a thread of its own, named by {@code threadNameFormat} with the pid of the
	 * process (and, for records, renamed after the pid of the process that logged each).
	 */
	static PythonOutputRelay start(InputStream stream, String loggerName, Level plainLevel, boolean records,
			String threadNameFormat, long pid) {
		PythonOutputRelay relay = new PythonOutputRelay(stream, loggerName, plainLevel, records);
		relay.threadNameFormat = threadNameFormat;
		relay.ownPid = String.valueOf(pid);
		relay.namedAfter = relay.ownPid;
		relay.thread = new Thread(relay, String.format(threadNameFormat, pid));
		relay.thread.setDaemon(true);
		relay.thread.start();
		return relay;
	}

	@Override
	public void run() {
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(this.stream, StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				relay(line);
			}
		}
		catch (IOException ex) {
			// The process is gone; nothing more to relay.
		}
	}

	void relay(String line) {
		if (this.records && !line.isEmpty() && line.charAt(0) == RECORD_MARK) {
			int levelEnd = line.indexOf(FIELD_SEPARATOR);
			int pidEnd = (levelEnd < 0) ? -1 : line.indexOf(FIELD_SEPARATOR, levelEnd + 1);
			int nameEnd = (pidEnd < 0) ? -1 : line.indexOf(FIELD_SEPARATOR, pidEnd + 1);
			if (nameEnd > 0) {
				String message = line.substring(nameEnd + 1).replace(NEWLINE_STANDIN, '\n');
				remember(message);
				nameAfter(line.substring(levelEnd + 1, pidEnd));
				log(pythonLoggerName(line.substring(pidEnd + 1, nameEnd)), level(line.substring(1, levelEnd)),
						message);
				return;
			}
		}
		remember(line);
		// A plain line tells no pid: it is put down to the process whose stream this is.
		nameAfter(this.ownPid);
		log(this.loggerName, this.plainLevel, line);
	}

	/**
	 * Names the relaying thread after the process that logged, as logs show the thread: the workers
	 * forked by a fork server share its stderr, and their records tell which of them wrote each.
	 */
	private void nameAfter(String pid) {
		if (this.threadNameFormat != null && pid != null && !pid.equals(this.namedAfter)
				&& pid.chars().allMatch(Character::isDigit)) {
			this.namedAfter = pid;
			Thread.currentThread().setName(String.format(this.threadNameFormat, pid));
		}
	}

	/** Waits until the process's stream has ended and everything in it was relayed. */
	void awaitEnd(long millis) {
		try {
			this.thread.join(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The last lines the worker wrote, oldest first. */
	synchronized String tail() {
		return String.join("\n", this.tail);
	}

	private synchronized void remember(String line) {
		if (this.tail.size() == TAIL_LINES) {
			this.tail.removeFirst();
		}
		this.tail.addLast(line);
	}

	private String pythonLoggerName(String pythonName) {
		return (pythonName.isEmpty() || pythonName.equals("root")) ? this.loggerName
				: this.loggerName + "." + pythonName;
	}

	private static void log(String loggerName, Level level, String message) {
		Logger logger = LoggerFactory.getLogger(loggerName);
		logger.atLevel(level).log(message);
	}

	static Level level(String pythonLevel) {
		int number;
		try {
			number = Integer.parseInt(pythonLevel);
		}
		catch (NumberFormatException ex) {
			return Level.INFO;
		}
		if (number >= 40) {
			return Level.ERROR;
		}
		if (number >= 30) {
			return Level.WARN;
		}
		if (number >= 20) {
			return Level.INFO;
		}
		return (number >= 10) ? Level.DEBUG : Level.TRACE;
	}

	/** The Python level name matching what the SLF4J logger lets through. */
	static String pythonLevelFor(String loggerName) {
		Logger logger = LoggerFactory.getLogger(loggerName);
		if (logger.isDebugEnabled()) {
			return "DEBUG";
		}
		if (logger.isInfoEnabled()) {
			return "INFO";
		}
		return logger.isWarnEnabled() ? "WARNING" : "ERROR";
	}

}
