package io.wscluster.affinity;

import io.wscluster.registry.NodeInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * Users this node sent to each node since that node's last heartbeat. Connection counts in the registry
 * are up to a heartbeat old; without this, a burst of choices would all land on the same "emptiest" node.
 */
final class PendingAssignments {

    private record Pending(long heartbeat, int count) {
    }

    private final Map<String, Pending> byNode = new HashMap<>();

    /** Connections the node has as far as this selector knows. Callers synchronise. */
    int effectiveConnections(NodeInfo node) {
        Pending pending = byNode.get(node.id());
        return node.connections() + (pending != null && pending.heartbeat() == node.lastHeartbeat() ? pending.count() : 0);
    }

    void assigned(NodeInfo node) {
        Pending pending = byNode.get(node.id());
        int count = pending != null && pending.heartbeat() == node.lastHeartbeat() ? pending.count() + 1 : 1;
        byNode.put(node.id(), new Pending(node.lastHeartbeat(), count));
    }
}
