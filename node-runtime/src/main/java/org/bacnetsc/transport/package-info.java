/**
 * Secure WebSockets: TLS 1.3 with mutual authentication, the HTTP/1.1 upgrade, RFC 6455 framing, socket loops, the development PKI.
 * Uses codec, connection, Pekko Streams, Netty's TLS engine and Bouncy Castle.
 */
package org.bacnetsc.transport;
