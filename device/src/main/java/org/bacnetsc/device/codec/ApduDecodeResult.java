package org.bacnetsc.device.codec;

/** What {@link ApduCodec#decode} makes of octets: an {@link Apdu}, or an {@link ApduDecodeFailure} saying why not. */
public sealed interface ApduDecodeResult permits Apdu, ApduDecodeFailure {
}
