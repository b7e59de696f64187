package io.wscluster.web.container;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * A field or no-argument method of the container's internals (Payara, Tyrus, Grizzly), found by name once
 * per class of target: the one way this application reaches what those libraries do not expose.
 */
public final class Member {

    private final String name;
    private final boolean method;
    private volatile Found found;

    private record Found(Class<?> on, AccessibleObject member) {
    }

    private Member(String name, boolean method) {
        this.name = name;
        this.method = method;
    }

    /** The field of this name, declared by the target's class or a superclass. */
    public static Member field(String name) {
        return new Member(name, false);
    }

    /** The no-argument method of this name, declared by the target's class or a superclass. */
    public static Member method(String name) {
        return new Member(name, true);
    }

    /** The field's value or the method's result; null for a null target. */
    public Object read(Object target) throws ReflectiveOperationException {
        if (target == null) {
            return null;
        }
        AccessibleObject member = on(target);
        return method ? ((Method) member).invoke(target) : ((Field) member).get(target);
    }

    /** Sets the field (not for methods). */
    public void write(Object target, Object value) throws ReflectiveOperationException {
        ((Field) on(target)).set(target, value);
    }

    private AccessibleObject on(Object target) throws ReflectiveOperationException {
        Found known = found;
        if (known == null || known.on() != target.getClass()) {
            AccessibleObject member = find(target.getClass());
            member.setAccessible(true);
            known = new Found(target.getClass(), member);
            found = known;
        }
        return known.member();
    }

    private AccessibleObject find(Class<?> type) throws ReflectiveOperationException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return method ? c.getDeclaredMethod(name) : c.getDeclaredField(name);
            } catch (NoSuchFieldException | NoSuchMethodException e) {
                // look further up
            }
        }
        throw method ? new NoSuchMethodException(name + "() in " + type.getName())
                : new NoSuchFieldException(name + " in " + type.getName());
    }
}
