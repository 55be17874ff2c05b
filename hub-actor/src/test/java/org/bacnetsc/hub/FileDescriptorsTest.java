package org.bacnetsc.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class FileDescriptorsTest {

    @Test
    void aLimitBelowMaxConnectionsPlusTheMarginIsWarnedAboutWithTheKeyAndTheNeededLimit() {
        assertEquals(Optional.of("bacnet-sc.hub.max-connections = 100000 but this process may open only 1024 files "
                        + "(ulimit -n); each node connection takes one: raise the limit to at least 100256 (for "
                        + "example LimitNOFILE= in a systemd unit) or connections beyond it will fail to be accepted"),
                FileDescriptors.warning(100_000, OptionalLong.of(1024)));
    }

    @Test
    void enoughDescriptorsOrAnUnknownLimitGiveNoWarning() {
        assertEquals(Optional.empty(), FileDescriptors.warning(1000, OptionalLong.of(1256)));
        assertEquals(Optional.empty(), FileDescriptors.warning(100_000, OptionalLong.empty()));
        assertTrue(FileDescriptors.warning(1001, OptionalLong.of(1256)).isPresent());
    }
}
