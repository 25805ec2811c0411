package io.eqlwatch.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Watches the heap during one benchmark iteration, two ways: the used heap sampled by the caller (garbage
 * included, so it depends on the heap size and the collector), and the heap still used right after each
 * garbage collection, reported by GC notifications: the live data's high-water mark, which is what must stay
 * bounded by the open sequences rather than grow with the number of events.
 */
public final class HeapWatch implements AutoCloseable {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Set<String> heapPools;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onGc;
    private long peakUsed;
    private volatile long peakAfterGc;
    private volatile long collections;
    private volatile long pauseMillis;

    private HeapWatch() {
        this.heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
    }

    /** Collects the garbage of what ran before, then starts watching. */
    public static HeapWatch start() {
        System.gc();
        HeapWatch watch = new HeapWatch();
        watch.sample();
        return watch;
    }

    /** Records the heap used now; call it often (it costs about a microsecond). */
    public void sample() {
        long used = memory.getHeapMemoryUsage().getUsed();
        if (used > peakUsed) {
            peakUsed = used;
        }
    }

    /** The most heap seen in use by {@link #sample}, garbage included. */
    public long peakUsed() {
        return peakUsed;
    }

    /** The most heap still in use right after a collection; 0 when no collection ran. */
    public long peakAfterGc() {
        return peakAfterGc;
    }

    public long collections() {
        return collections;
    }

    public long pauseMillis() {
        return pauseMillis;
    }

    /** The heap's limit ({@code -Xmx}). */
    public static long maxHeap() {
        return Runtime.getRuntime().maxMemory();
    }

    private void onGc(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long after = 0;
        for (Map.Entry<String, MemoryUsage> pool :
                info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                after += pool.getValue().getUsed();
            }
        }
        synchronized (this) {
            collections++;
            pauseMillis += info.getGcInfo().getDuration();
            if (after > peakAfterGc) {
                peakAfterGc = after;
            }
        }
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // already gone
            }
        }
    }
}
