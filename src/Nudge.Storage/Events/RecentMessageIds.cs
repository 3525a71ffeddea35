using System.IO.Hashing;
using System.Text;

namespace Nudge.Storage.Events;

/// <summary>
/// The message ids seen within the de-duplication window, held in memory by the single log writer.
/// A unique index on random message ids would dirty a random page per insert (ADR 0003); a 128-bit
/// hash per id in a hash set costs no I/O at all.
/// </summary>
public sealed class RecentMessageIds(TimeSpan window)
{
    private readonly HashSet<UInt128> _ids = [];
    private readonly Queue<(DateTimeOffset At, UInt128 Id)> _byAge = new();

    public int Count => _ids.Count;

    public static UInt128 Key(string workspaceId, string messageId)
    {
        Span<byte> buffer = stackalloc byte[512];
        var text = string.Concat(workspaceId, "\n", messageId);
        var bytes = Encoding.UTF8.GetByteCount(text) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(text, buffer)] : Encoding.UTF8.GetBytes(text);
        return XxHash128.HashToUInt128(bytes);
    }

    public bool Contains(UInt128 key) => _ids.Contains(key);

    public void Add(UInt128 key, DateTimeOffset receivedAt)
    {
        if (_ids.Add(key))
            _byAge.Enqueue((receivedAt, key));
    }

    /// <summary>Forgets ids received before <c>now - window</c>.</summary>
    public void Expire(DateTimeOffset now)
    {
        var cutoff = now - window;
        while (_byAge.TryPeek(out var oldest) && oldest.At < cutoff)
        {
            _byAge.Dequeue();
            _ids.Remove(oldest.Id);
        }
    }

    public void Clear()
    {
        _ids.Clear();
        _byAge.Clear();
    }
}
