package io.github.twodwsgi.gateway;

/**
 * A request that cannot be expressed as a PEP 3333 environ: the client gets 400, or 431 when its
 * headers are over the app's limit.
 */
public class BadRequestException extends RuntimeException {

	private final int status;

	public BadRequestException(String message) {
		this(400, message);
	}

	private BadRequestException(int status, String message) {
		super(message);
		this.status = status;
	}

	/** The request headers are larger than {@code maxHeaderSize} bytes. */
	static BadRequestException headersTooLarge(long maxHeaderSize) {
		return new BadRequestException(431,
				"The request headers are larger than max-header-size (" + maxHeaderSize + " bytes)");
	}

	/** 400, or 431 for headers over the limit. */
	public int status() {
		return this.status;
	}

}
