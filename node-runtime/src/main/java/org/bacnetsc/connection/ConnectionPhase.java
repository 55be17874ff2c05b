package org.bacnetsc.connection;

/** The states of the connection state machines of digest §9; each is one behavior of {@link Connection}. */
public enum ConnectionPhase {
    IDLE, AWAITING_WEBSOCKET, AWAITING_ACCEPT, AWAITING_REQUEST, CONNECTED, DISCONNECTING
}
