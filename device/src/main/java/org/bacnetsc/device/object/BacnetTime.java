package org.bacnetsc.device.object;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.bacnetsc.device.codec.ScTypes;
import org.bacnetsc.device.codec.Value;

/** Instants as BACnetDateTime: the device's local time (BACnet dates and times are local), null as unspecified. */
public final class BacnetTime {

    private BacnetTime() {
    }

    /** {@code at} in the JVM's time zone, or {@link ScTypes.DateTime#UNSPECIFIED} for null. */
    public static ScTypes.DateTime of(Instant at) {
        return of(at, ZoneId.systemDefault());
    }

    /** {@code at} in {@code zone}, or unspecified for null. */
    public static ScTypes.DateTime of(Instant at, ZoneId zone) {
        if (at == null) {
            return ScTypes.DateTime.UNSPECIFIED;
        }
        LocalDateTime t = LocalDateTime.ofInstant(at, zone);
        return new ScTypes.DateTime(new Value.Date(t.getYear() - 1900, t.getMonthValue(), t.getDayOfMonth(),
                t.getDayOfWeek().getValue()),
                new Value.Time(t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 10_000_000));
    }
}
