package io.wscluster.cluster;

import java.util.List;

/**
 * A change of the cluster view, fired as a CDI event: members that left, members that joined, and
 * whether it was a merge after a partition healed.
 *
 * @param coordinator whether this node is the coordinator of the new view (it does the cluster-wide clean-up)
 */
public record MembershipChange(List<String> members, List<String> left, List<String> joined, boolean merged,
        boolean coordinator) {
}
