/**
 * The server side of the application layer, without transactions: a confirmed or unconfirmed request's data
 * executed against an {@link org.bacnetsc.device.object.ObjectDatabase}, giving the answer the standard prescribes
 * (ACK, Error, Reject, Abort) or nothing. Uses codec, service and object; no actor, no I/O.
 */
package org.bacnetsc.device.server;
