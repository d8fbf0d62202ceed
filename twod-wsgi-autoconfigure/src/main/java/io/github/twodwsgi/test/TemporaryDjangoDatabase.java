package io.github.twodwsgi.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives the named Django apps a throw-away SQLite database for the tests of a Spring Boot test class:
 * their {@code DATABASES} setting points at a fresh file in a temporary directory, which is removed
 * when the test context closes. The apps' once hooks (a {@code migrate}, say) run against it.
 *
 * <pre class="code">
 * &#64;SpringBootTest(webEnvironment = RANDOM_PORT)
 * &#64;TemporaryDjangoDatabase(apps = "django")
 * class NotesTests { ... }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface TemporaryDjangoDatabase {

	/** The names of the apps (as under {@code twod.wsgi.apps}) that get a temporary database. */
	String[] apps();

}
