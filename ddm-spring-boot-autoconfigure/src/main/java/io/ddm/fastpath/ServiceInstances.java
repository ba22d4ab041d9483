package io.ddm.fastpath;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.shardingsphere.infra.spi.ShardingSphereServiceLoader;

/**
 * The implementations of one ShardingSphere SPI as {@link ShardingSphereServiceLoader#getServiceInstances} hands them
 * out on every call - the same instances each time, or new ones, in the order ShardingSphere loaded them - with each
 * implementation's constructor looked up once: ShardingSphere looks it up again every time it creates an instance, on
 * every execution and every route. The registered implementations are fixed once ShardingSphere has loaded them.
 *
 * @param <T> the SPI
 */
final class ServiceInstances<T> {

    private final Class<T> type;

    /** The instances, when ShardingSphere hands out the same ones every time; otherwise {@code null}. */
    private final List<T> shared;

    private final List<Constructor<? extends T>> constructors;

    private ServiceInstances(Class<T> type, List<T> shared, List<Constructor<? extends T>> constructors) {
        this.type = type;
        this.shared = shared;
        this.constructors = constructors;
    }

    /**
     * Looks up the implementations of an SPI.
     * @param <T> the SPI
     * @param type the SPI's interface
     * @return its implementations
     */
    @SuppressWarnings("unchecked")
    static <T> ServiceInstances<T> of(Class<T> type) {
        List<T> first = new ArrayList<>(ShardingSphereServiceLoader.getServiceInstances(type));
        Collection<T> second = ShardingSphereServiceLoader.getServiceInstances(type);
        if (second.size() == first.size() && second.stream().allMatch((each) -> first.stream().anyMatch((seen) -> seen == each))) {
            return new ServiceInstances<>(type, List.copyOf(first), List.of());
        }
        List<Constructor<? extends T>> constructors = new ArrayList<>();
        for (T each : first) {
            try {
                constructors.add((Constructor<? extends T>) each.getClass().getDeclaredConstructor());
            }
            catch (NoSuchMethodException ex) {
                throw new IllegalStateException("ShardingSphere " + type.getSimpleName() + " " + each.getClass().getName()
                        + " has no constructor without arguments", ex);
            }
        }
        return new ServiceInstances<>(type, null, List.copyOf(constructors));
    }

    /**
     * How many implementations there are.
     * @return their number
     */
    int size() {
        return (this.shared != null) ? this.shared.size() : this.constructors.size();
    }

    /**
     * The instance of one implementation for one call, as ShardingSphere would hand it out now.
     * @param index the implementation's position in ShardingSphere's order
     * @return the instance
     */
    T get(int index) {
        if (this.shared != null) {
            return this.shared.get(index);
        }
        Constructor<? extends T> constructor = this.constructors.get(index);
        try {
            return constructor.newInstance();
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("Cannot create ShardingSphere " + this.type.getSimpleName() + " "
                    + constructor.getDeclaringClass().getName(), ex);
        }
    }

}
