package io.wscluster.registry;

import org.infinispan.protostream.annotations.ProtoField;

/** A channel and how many subscribers one node holds on it; part of that node's registry entry. */
public record ChannelCount(@ProtoField(1) String name, @ProtoField(value = 2, defaultValue = "0") int subscribers) {
}
