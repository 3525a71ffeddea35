using System.Net;
using System.Net.Sockets;

namespace Nudge.Testing;

/// <summary>
/// Hands out TCP ports that nothing listens on, so servers started by tests do not collide.
/// </summary>
public static class FreePort
{
    /// <summary>
    /// Returns a TCP port on 127.0.0.1 that was free a moment ago. The operating system picks it, so
    /// another process may in rare cases take it before the caller binds it.
    /// </summary>
    /// <returns>A port number between 1024 and 65535.</returns>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
