package io.wscluster.affinity;

import io.wscluster.registry.NodeInfo;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/** A node chosen uniformly at random. */
final class RandomSelector implements NodeSelector {

    private final Supplier<Random> random;

    RandomSelector() {
        this(ThreadLocalRandom::current);
    }

    /** For tests: a seeded source. */
    RandomSelector(Random seeded) {
        this(() -> seeded);
    }

    private RandomSelector(Supplier<Random> random) {
        this.random = random;
    }

    @Override
    public Optional<NodeInfo> select(String user, List<NodeInfo> candidates) {
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(random.get().nextInt(candidates.size())));
    }
}
