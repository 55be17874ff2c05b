package org.bacnetsc.codec;

/** What {@link BvlcCodec#decode} returns: a {@link BvlcMessage} or a {@link DecodeFailure}, never an exception. */
public sealed interface DecodeResult permits BvlcMessage, DecodeFailure {
}
