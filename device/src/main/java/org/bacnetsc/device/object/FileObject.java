package org.bacnetsc.device.object;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Supplier;
import org.apache.pekko.util.ByteString;
import org.bacnetsc.device.codec.ScTypes;

/**
 * File objects (Clause 12.13, object type 10; digest 6.1) with stream access, read-only in this release: the
 * operational certificate, the issuer certificates and the certificate signing request of an SC port. The private
 * key is never a File object's content.
 */
public final class FileObject {

    /** File_Access_Method stream-access. */
    public static final int STREAM_ACCESS = 1;

    private FileObject() {
    }

    /**
     * A read-only stream-access file.
     *
     * @param instance the File object's instance
     * @param name     its Object_Name
     * @param fileType File_Type (free text, e.g. "application/x-pem-file")
     * @param content  its content now (an empty ByteString when it has none)
     * @param modified Modification_Date, or null when unknown
     */
    public static BacnetObject create(int instance, String name, String fileType, Supplier<ByteString> content,
                                      Supplier<Instant> modified) {
        return BacnetObject.builder(ObjectType.FILE.code(), instance, () -> name)
                .content(content)
                .required(PropertyIdentifier.FILE_TYPE, PropertyValue.of(fileType))
                .required(PropertyIdentifier.FILE_SIZE, () -> PropertyValue.unsigned(content.get().size()))
                .required(PropertyIdentifier.MODIFICATION_DATE, () -> {
                    ScTypes.DateTime at = BacnetTime.of(modified.get());
                    org.apache.pekko.util.ByteStringBuilder b = new org.apache.pekko.util.ByteStringBuilder();
                    org.bacnetsc.device.codec.Tags.writeApplication(b, at.date());
                    org.bacnetsc.device.codec.Tags.writeApplication(b, at.time());
                    return PropertyValue.encoded(b.result());
                })
                .required(PropertyIdentifier.ARCHIVE, PropertyValue.bool(false))
                .required(PropertyIdentifier.READ_ONLY, PropertyValue.bool(true))
                .required(PropertyIdentifier.FILE_ACCESS_METHOD, PropertyValue.enumerated(STREAM_ACCESS))
                .build();
    }

    /** A file object over a file on disk (empty content and no date while it is missing or unreadable). */
    public static BacnetObject onDisk(int instance, String name, String fileType, Path path) {
        return create(instance, name, fileType, () -> {
            try {
                return path == null ? ByteString.emptyByteString() : ByteString.fromArray(Files.readAllBytes(path));
            } catch (IOException e) {
                return ByteString.emptyByteString();
            }
        }, () -> {
            try {
                return path == null ? null : Files.getLastModifiedTime(path).toInstant();
            } catch (IOException e) {
                return null;
            }
        });
    }
}
