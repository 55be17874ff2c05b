package org.bacnetsc.device.object;

import java.util.function.Supplier;

/**
 * One property of an object: its identifier, whether the standard requires it (for ReadPropertyMultiple REQUIRED and
 * OPTIONAL), and how to read it. The read function runs in the device's actor and must not block; it may return a
 * {@link PropertyValue.Failure}.
 *
 * @param id       the property identifier
 * @param required whether the object type requires it
 * @param read     reads the current value
 */
public record Property(long id, boolean required, Supplier<PropertyValue> read) {
}
