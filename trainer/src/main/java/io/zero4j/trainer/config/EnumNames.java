package io.zero4j.trainer.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.zero4j.rewards.Choices;
import java.io.IOException;

/**
 * Binds every enum in a config by the name users type ({@link Choices}): {@code dr_grpo} reads as
 * {@code LossType.DR_GRPO} and writes back as {@code dr_grpo}. A name that is not allowed fails as
 * an {@code InvalidFormatException} naming the enum, which {@link RunConfigLoader} turns into one line
 * listing the allowed names.
 */
final class EnumNames {
    private EnumNames() {
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static SimpleModule module() {
        SimpleModule module = new SimpleModule("zero4j-enum-names");
        module.addSerializer(Enum.class, new StdSerializer<Enum>(Enum.class) {
            @Override
            public void serialize(Enum value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(Choices.name(value));
            }
        });
        module.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
                                                              BeanDescription description, JsonDeserializer<?> standard) {
                return new ByName(type.getRawClass());
            }
        });
        return module;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final class ByName extends StdScalarDeserializer<Enum> {
        private final Class<? extends Enum> type;

        ByName(Class<?> type) {
            super(type);
            this.type = (Class<? extends Enum>) type;
        }

        @Override
        public Enum deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (Enum) ctxt.handleUnexpectedToken(type, p);
            }
            String text = p.getText();
            try {
                return Choices.parse((Class) type, text, "value");
            } catch (IllegalArgumentException e) {
                throw ctxt.weirdStringException(text, type, "is not one of " + Choices.allowed(type));
            }
        }
    }
}
