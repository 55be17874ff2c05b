/**
 * Several hub processes as one hub on Pekko Cluster: the replicated directory, member routing, readiness and keeping.
 * Uses hub, codec, connection and Pekko Cluster.
 */
package org.bacnetsc.cluster;
