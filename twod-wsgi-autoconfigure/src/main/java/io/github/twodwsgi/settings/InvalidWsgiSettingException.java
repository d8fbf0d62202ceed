package io.github.twodwsgi.settings;

/**
 * A setting whose value cannot be converted to the type its name has.
 */
public class InvalidWsgiSettingException extends RuntimeException {

	private final String appName;

	private final String setting;

	private final String value;

	private final SettingType type;

	private final String source;

	public InvalidWsgiSettingException(String appName, String setting, String value, SettingType type,
			String source) {
		super("Setting " + setting + " of WSGI app '" + appName + "' is " + shown(setting, value) + ", which is not "
				+ type.description() + " (from " + source + ")");
		this.appName = appName;
		this.setting = setting;
		this.value = value;
		this.type = type;
		this.source = source;
	}

	private static String shown(String setting, String value) {
		return WsgiSettings.isSecret(setting) ? WsgiSettings.MASK : "'" + value + "'";
	}

	public String getAppName() {
		return this.appName;
	}

	public String getSetting() {
		return this.setting;
	}

	/** The value as given, or the mask if the setting looks secret. */
	public String getShownValue() {
		return shown(this.setting, this.value);
	}

	public SettingType getType() {
		return this.type;
	}

	/** The property source the value came from. */
	public String getSource() {
		return this.source;
	}

}
