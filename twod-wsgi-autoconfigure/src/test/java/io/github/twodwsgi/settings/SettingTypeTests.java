package io.github.twodwsgi.settings;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The conversion rules of settings that arrive as strings.
 */
class SettingTypeTests {

	@Test
	void booleansTakeTheOriginalWordsInAnyCase() {
		for (String yes : List.of("true", "YES", "On", "1", " true ")) {
			assertThat(SettingType.BOOLEAN.convert(yes)).as(yes).isEqualTo(true);
		}
		for (String no : List.of("false", "No", "OFF", "0")) {
			assertThat(SettingType.BOOLEAN.convert(no)).as(no).isEqualTo(false);
		}
		for (String neither : List.of("", "maybe", "2", "t")) {
			assertThatIllegalArgumentException().as(neither).isThrownBy(() -> SettingType.BOOLEAN.convert(neither));
		}
	}

	@Test
	void integers() {
		assertThat(SettingType.INTEGER.convert(" 42 ")).isEqualTo(42L);
		assertThat(SettingType.INTEGER.convert("-7")).isEqualTo(-7L);
		assertThatIllegalArgumentException().isThrownBy(() -> SettingType.INTEGER.convert("4.2"));
		assertThatIllegalArgumentException().isThrownBy(() -> SettingType.INTEGER.convert("forty"));
	}

	@Test
	void listsAreSplitOnWhitespaceOrLinesOrGivenAsJson() {
		assertThat(SettingType.LIST.convert("a.com  b.com\nc.com")).isEqualTo(List.of("a.com", "b.com", "c.com"));
		assertThat(SettingType.LIST.convert("  ")).isEqualTo(List.of());
		assertThat(SettingType.LIST.convert("[\"a b\", 2]")).isEqualTo(List.of("a b", 2));
		assertThatIllegalArgumentException().isThrownBy(() -> SettingType.LIST.convert("[broken"));
	}

	@Test
	void nestedListsHaveOneListPerLineFieldsSplitOnSemicolons() {
		assertThat(SettingType.NESTED_LIST.convert("Ada; ada@example.org\n\nGrace;grace@example.org"))
			.isEqualTo(List.of(List.of("Ada", "ada@example.org"), List.of("Grace", "grace@example.org")));
		assertThat(SettingType.NESTED_LIST.convert("[[\"en\", \"English\"]]")).isEqualTo(List.of(List.of("en", "English")));
	}

	@Test
	void dictsHaveOneKeyEqualsValuePerLineOrAreJsonObjects() {
		assertThat(SettingType.DICT.convert("ENGINE = django.db.backends.sqlite3\nNAME=db.sqlite3"))
			.isEqualTo(Map.of("ENGINE", "django.db.backends.sqlite3", "NAME", "db.sqlite3"));
		assertThat(SettingType.DICT.convert("{\"default\": {\"ENGINE\": \"x\"}}"))
			.isEqualTo(Map.of("default", Map.of("ENGINE", "x")));
		assertThatIllegalArgumentException().isThrownBy(() -> SettingType.DICT.convert("no equals sign"));
	}

	@Test
	void noneIfEmpty() {
		assertThat(SettingType.NONE_IF_EMPTY.convert("")).isNull();
		assertThat(SettingType.NONE_IF_EMPTY.convert("  ")).isNull();
		assertThat(SettingType.NONE_IF_EMPTY.convert(".example.org")).isEqualTo(".example.org");
	}

}
