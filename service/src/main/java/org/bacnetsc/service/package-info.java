/**
 * The {@code bsc} command line: the hub, node and router services, status, pki and decode, logging and signal handling.
 * Uses every library and the examples' tools, which it runs as subcommands; nothing depends on it.
 */
package org.bacnetsc.service;
