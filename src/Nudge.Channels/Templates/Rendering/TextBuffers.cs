using System.Collections.Concurrent;
using System.Text;

namespace Nudge.Channels.Templates.Rendering;

/// <summary>
/// Buffers that renders write into, reused: a part grows to kilobytes, and growing a new buffer for every render
/// costs a quarter of the render itself on page-sized templates.
/// </summary>
internal sealed class TextBuffers
{
    private const int InitialCapacity = 16 * 1024;
    private const int MaxKept = 64;
    private const int MaxKeptCapacity = 512 * 1024;

    private readonly ConcurrentQueue<StringBuilder> _free = new();

    public StringBuilder Rent() => _free.TryDequeue(out var buffer) ? buffer : new StringBuilder(InitialCapacity);

    public void Return(StringBuilder buffer)
    {
        // A buffer an exceptional render blew up is let go rather than kept for ever.
        if (buffer.Capacity > MaxKeptCapacity || _free.Count >= MaxKept)
            return;
        buffer.Clear();
        _free.Enqueue(buffer);
    }
}
