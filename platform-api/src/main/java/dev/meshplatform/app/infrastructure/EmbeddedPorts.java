package dev.meshplatform.app.infrastructure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * The fixed loopback ports of the embedded default's servers: checked before a server binds, so that a port another
 * program holds stops the start with the port, the server and the key to change, not with a bind stack trace.
 */
final class EmbeddedPorts {

    private EmbeddedPorts() {
    }

    /**
     * Returns {@code port} when it is free on 127.0.0.1, a free port when it is 0.
     *
     * @param server what listens there, in words
     * @param key    the configuration key that sets the port
     */
    static int claim(int port, String server, String key) {
        if (port < 0 || port > 65535) {
            throw new PortTakenException(port, server, key, "is not a port (0 to 65535; 0 picks a free one)");
        }
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException taken) {
            throw new PortTakenException(port, server, key, "is taken on 127.0.0.1 by another program");
        }
    }

    /** A configured port the embedded default cannot listen on. */
    static final class PortTakenException extends IllegalStateException {

        private final int port;
        private final String server;
        private final String key;

        PortTakenException(int port, String server, String key, String why) {
            super("Port " + port + " of the " + server + " (" + key + ") " + why);
            this.port = port;
            this.server = server;
            this.key = key;
        }

        int port() {
            return port;
        }

        String server() {
            return server;
        }

        String key() {
            return key;
        }
    }
}
