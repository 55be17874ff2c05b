/**
 * The SC node: hub connector with failover, node switch (direct connections), ScNode, its operations endpoint (NodeOperations).
 * Uses codec, connection, transport and operations.
 */
package org.bacnetsc.node;
