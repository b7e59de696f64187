package io.wscluster.bus;

import io.wscluster.message.UserCommand;
import java.io.Serializable;

/** A server-API command as the clustered CDI event that carries it to the other nodes, with the node that sent it. */
public record ClusterCommand(String origin, UserCommand command) implements Serializable {
}
