/**
 * The commands that are examples and tools: demo, whois, read, rpm, file get, bench, flood, bip-device, microbench,
 * and the configuration options they share with the services. The BACnet tools are clients of the device module
 * (org.bacnetsc.device). Uses the libraries and examples.bench; never the service module that runs them.
 */
package org.bacnetsc.examples.cli;
