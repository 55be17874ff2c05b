package org.bacnetsc.device.object;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.bacnetsc.device.codec.Tags;
import org.bacnetsc.device.codec.Value;

/**
 * A BACnet object: an identifier, a name and a set of properties with read functions. Object_Identifier, Object_Name,
 * Object_Type and Property_List are the object's own; everything else is given to the {@link Builder}. Reading applies
 * the standard's rules: an unknown property is PROPERTY/UNKNOWN_PROPERTY, an index on a non-array
 * PROPERTY_IS_NOT_AN_ARRAY, index 0 of an array its size, an index past it INVALID_ARRAY_INDEX.
 *
 * <p>An application adds its own objects to a device this way, e.g. an Analog Input:
 * <pre>{@code
 * BacnetObject ai = BacnetObject.builder(ObjectType.ANALOG_INPUT, 1, "Outside air temperature")
 *         .required(PropertyIdentifier.PRESENT_VALUE, () -> PropertyValue.of(new Value.Real(sensor.read())))
 *         .required(PropertyIdentifier.STATUS_FLAGS, PropertyValue.of(new Value.BitString(List.of(false, false, false, false))))
 *         .required(PropertyIdentifier.EVENT_STATE, PropertyValue.enumerated(0))
 *         .required(PropertyIdentifier.OUT_OF_SERVICE, PropertyValue.bool(false))
 *         .required(PropertyIdentifier.UNITS, PropertyValue.enumerated(62))
 *         .build();
 * device.objects().add(ai);
 * }</pre>
 */
public final class BacnetObject {

    private final Value.ObjectId id;
    private final Supplier<String> name;
    private final Map<Long, Property> properties;
    private final Supplier<CompletionStage<?>> refresh;
    private final Supplier<ByteString> content;

    private BacnetObject(Value.ObjectId id, Supplier<String> name, Map<Long, Property> properties,
                         Supplier<CompletionStage<?>> refresh, Supplier<ByteString> content) {
        this.id = id;
        this.name = name;
        this.properties = properties;
        this.refresh = refresh;
        this.content = content;
    }

    /**
     * A File object's content as AtomicReadFile reads it (stream access), or empty when the object has none (not a
     * File object, or its content cannot be read now).
     */
    public java.util.Optional<ByteString> content() {
        try {
            return java.util.Optional.ofNullable(content == null ? null : content.get());
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** A builder for an object of a standard type. */
    public static Builder builder(ObjectType type, int instance, String name) {
        return builder(type.code(), instance, () -> name);
    }

    /** A builder for an object of any type (proprietary types 128-1023 included), its name read each time. */
    public static Builder builder(int type, int instance, Supplier<String> name) {
        if (instance < 0 || instance > 4194302) {
            throw new IllegalArgumentException("object instance must be 0-4194302, got " + instance);
        }
        return new Builder(new Value.ObjectId(type, instance), name);
    }

    /** The object's identifier. */
    public Value.ObjectId id() {
        return id;
    }

    /** The object's name. */
    public String name() {
        return name.get();
    }

    /**
     * Brings the object's live values up to date before a request reads it (an ask to the actor that owns them);
     * completes when they are. Objects without live values complete at once.
     */
    public CompletionStage<?> refresh() {
        return refresh.get();
    }

    /** The identifiers of the properties the object has, in order, Property_List's rule aside. */
    public List<Long> propertyIds() {
        List<Long> out = new ArrayList<>(properties.size() + 4);
        out.add(PropertyIdentifier.OBJECT_IDENTIFIER.code());
        out.add(PropertyIdentifier.OBJECT_NAME.code());
        out.add(PropertyIdentifier.OBJECT_TYPE.code());
        out.addAll(properties.keySet());
        out.add(PropertyIdentifier.PROPERTY_LIST.code());
        return out;
    }

    /** The properties ReadPropertyMultiple REQUIRED names (the four every object has among them). */
    public List<Long> requiredIds() {
        List<Long> out = new ArrayList<>();
        out.add(PropertyIdentifier.OBJECT_IDENTIFIER.code());
        out.add(PropertyIdentifier.OBJECT_NAME.code());
        out.add(PropertyIdentifier.OBJECT_TYPE.code());
        properties.values().stream().filter(Property::required).forEach(p -> out.add(p.id()));
        out.add(PropertyIdentifier.PROPERTY_LIST.code());
        return out;
    }

    /** The properties ReadPropertyMultiple OPTIONAL names. */
    public List<Long> optionalIds() {
        List<Long> out = new ArrayList<>();
        properties.values().stream().filter(p -> !p.required()).forEach(p -> out.add(p.id()));
        return out;
    }

    /**
     * ReadPropertyMultiple ALL: every property. Property_List is left out, as bacnet-stack does ([verify]: digest
     * section 10, "ALL includes Property_List").
     */
    public List<Long> allIds() {
        List<Long> out = propertyIds();
        out.remove(PropertyIdentifier.PROPERTY_LIST.code());
        return out;
    }

    /** Whether the object has this property. */
    public boolean has(long property) {
        return properties.containsKey(property) || property == PropertyIdentifier.OBJECT_IDENTIFIER.code()
                || property == PropertyIdentifier.OBJECT_NAME.code()
                || property == PropertyIdentifier.OBJECT_TYPE.code()
                || property == PropertyIdentifier.PROPERTY_LIST.code();
    }

    /**
     * Reads {@code property}, all of it ({@code index} null) or one array element; the result is an
     * {@link PropertyValue.Encoded} or a {@link PropertyValue.Failure}. Never throws: a read function that does is
     * answered DEVICE/OTHER.
     */
    public PropertyValue read(long property, Long index) {
        PropertyValue v;
        try {
            v = readWhole(property);
        } catch (RuntimeException e) {
            return PropertyValue.failure(ErrorCodes.DEVICE, ErrorCodes.OTHER);
        }
        if (v instanceof PropertyValue.Failure) {
            return v;
        }
        if (v instanceof PropertyValue.Array a) {
            if (index == null) {
                ByteStringBuilder b = new ByteStringBuilder();
                a.elements().forEach(b::append);
                return new PropertyValue.Encoded(b.result());
            }
            if (index == 0) {
                return PropertyValue.unsigned(a.elements().size());
            }
            if (index < 0 || index > a.elements().size()) {
                return PropertyValue.failure(ErrorCodes.PROPERTY, ErrorCodes.INVALID_ARRAY_INDEX);
            }
            return new PropertyValue.Encoded(a.elements().get((int) (index - 1)));
        }
        return index == null ? v : PropertyValue.failure(ErrorCodes.PROPERTY, ErrorCodes.PROPERTY_IS_NOT_AN_ARRAY);
    }

    private PropertyValue readWhole(long property) {
        if (property == PropertyIdentifier.OBJECT_IDENTIFIER.code()) {
            return PropertyValue.of(id);
        }
        if (property == PropertyIdentifier.OBJECT_NAME.code()) {
            return PropertyValue.of(name.get());
        }
        if (property == PropertyIdentifier.OBJECT_TYPE.code()) {
            return PropertyValue.enumerated(id.objectType());
        }
        if (property == PropertyIdentifier.PROPERTY_LIST.code()) {
            // every property but Object_Identifier, Object_Name, Object_Type and Property_List itself
            List<Value> ids = new ArrayList<>();
            properties.keySet().forEach(p -> ids.add(new Value.Enumerated(p)));
            return PropertyValue.array(ids);
        }
        Property p = properties.get(property);
        if (p == null) {
            return PropertyValue.failure(ErrorCodes.PROPERTY, ErrorCodes.UNKNOWN_PROPERTY);
        }
        PropertyValue v = p.read().get();
        return v == null ? PropertyValue.failure(ErrorCodes.DEVICE, ErrorCodes.OTHER) : v;
    }

    /** Encodes an ObjectIdentifier, for read functions. */
    public static ByteString encode(Value v) {
        return Tags.application(v);
    }

    @Override
    public String toString() {
        return ObjectType.nameOf(id.objectType()) + "," + id.instance() + " \"" + name() + "\"";
    }

    /** Builds an object; properties keep the order they are added in. */
    public static final class Builder {
        private final Value.ObjectId id;
        private final Supplier<String> name;
        private final Map<Long, Property> properties = new LinkedHashMap<>();
        private Supplier<CompletionStage<?>> refresh = () -> CompletableFuture.completedFuture(null);
        private Supplier<ByteString> content;

        private Builder(Value.ObjectId id, Supplier<String> name) {
            this.id = id;
            this.name = name;
        }

        /** Adds a required property. */
        public Builder required(PropertyIdentifier p, Supplier<PropertyValue> read) {
            return add(new Property(p.code(), true, read));
        }

        /** Adds a required property with a constant value. */
        public Builder required(PropertyIdentifier p, PropertyValue constant) {
            return required(p, () -> constant);
        }

        /** Adds an optional property. */
        public Builder optional(PropertyIdentifier p, Supplier<PropertyValue> read) {
            return add(new Property(p.code(), false, read));
        }

        /** Adds an optional property with a constant value. */
        public Builder optional(PropertyIdentifier p, PropertyValue constant) {
            return optional(p, () -> constant);
        }

        /** Adds a property by number (a proprietary one, say). */
        public Builder add(Property p) {
            long own = p.id();
            if (own == PropertyIdentifier.OBJECT_IDENTIFIER.code() || own == PropertyIdentifier.OBJECT_NAME.code()
                    || own == PropertyIdentifier.OBJECT_TYPE.code() || own == PropertyIdentifier.PROPERTY_LIST.code()
                    || own == PropertyIdentifier.ALL.code() || own == PropertyIdentifier.REQUIRED.code()
                    || own == PropertyIdentifier.OPTIONAL.code()) {
                throw new IllegalArgumentException("property " + PropertyIdentifier.nameOf(own)
                        + " is the object's own");
            }
            if (properties.putIfAbsent(own, p) != null) {
                throw new IllegalArgumentException("property " + PropertyIdentifier.nameOf(own) + " added twice");
            }
            return this;
        }

        /** What brings the live values up to date before a request reads them (see {@link BacnetObject#refresh}). */
        public Builder refresh(Supplier<CompletionStage<?>> value) {
            this.refresh = value;
            return this;
        }

        /** A File object's content, read by AtomicReadFile (see {@link BacnetObject#content}). */
        public Builder content(Supplier<ByteString> value) {
            this.content = value;
            return this;
        }

        /** The object. */
        public BacnetObject build() {
            return new BacnetObject(id, name, Collections.unmodifiableMap(new LinkedHashMap<>(properties)), refresh,
                    content);
        }
    }
}
