/**
 * One operations endpoint for any service: health, readiness, status JSON, Prometheus metrics and one status page.
 * Uses Pekko HTTP, the Prometheus client and Jackson; knows no BACnet package: a hub, a node or a router hands it a Source.
 */
package org.bacnetsc.operations;
