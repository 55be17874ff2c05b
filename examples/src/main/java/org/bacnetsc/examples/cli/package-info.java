/**
 * The commands that are examples and tools: demo, whois, bench, flood, bip-device, microbench, and the configuration options they share with the services.
 * Uses the libraries and examples.bacnet and examples.bench; never the service module that runs them.
 */
package org.bacnetsc.examples.cli;
