/**
 * The request and ACK encodings of the services the device executes and its client sends (one small codec per
 * service, ASHRAE 135 Clauses 13-16 and 21 as the device digest gives them); pure functions over bytes: each record
 * encodes its service data (what follows the service-choice octet) and decodes it as a {@link
 * org.bacnetsc.device.service.ServiceDecode} that never throws and names the Reject reason a server answers with.
 * Uses {@code codec}.
 */
package org.bacnetsc.device.service;
