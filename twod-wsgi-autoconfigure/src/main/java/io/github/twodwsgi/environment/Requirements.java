package io.github.twodwsgi.environment;

/**
 * An app's requirements, as {@code pip install -r} takes them.
 *
 * @param content the file's text
 * @param description where they came from, for messages ({@code classpath:python/requirements.txt})
 */
public record Requirements(String content, String description) {
}
