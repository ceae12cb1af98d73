package io.sparserandom.protocol;

/** An enum constant that carries its value on the wire (never use ordinals as wire values). */
public interface WireValue {
    int wireValue();

    static <E extends Enum<E> & WireValue> E find(Class<E> type, int value) {
        for (E e : type.getEnumConstants()) {
            if (e.wireValue() == value) {
                return e;
            }
        }
        return null;
    }
}
