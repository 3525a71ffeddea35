using System.Buffers;
using System.Text;
using System.Text.Json;
using Nudge.Core.Segments;

namespace Nudge.Engine.Segments;

/// <summary>
/// The stored form of an <see cref="EventTally"/>: <c>{"n":count,"s":sum,"r":[at,value,at,value,...]}</c>
/// with times in Unix milliseconds. Compact, because a profile may hold a hundred of them.
/// </summary>
public static class TallyText
{
    public static string Write(EventTally tally)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (tally.Count != 0)
                writer.WriteNumber("n", tally.Count);
            if (tally.Sum != 0)
                writer.WriteNumber("s", tally.Sum);
            if (tally.Recent.Count > 0)
            {
                writer.WriteStartArray("r");
                foreach (var entry in tally.Recent)
                {
                    writer.WriteNumberValue(entry.At.ToUnixTimeMilliseconds());
                    writer.WriteNumberValue(entry.Value);
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static EventTally Read(string text)
    {
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        var count = root.TryGetProperty("n", out var n) ? n.GetInt64() : 0;
        var sum = root.TryGetProperty("s", out var s) ? s.GetDecimal() : 0;
        var recent = new List<TallyEntry>();
        if (root.TryGetProperty("r", out var r))
        {
            for (var i = 0; i + 1 < r.GetArrayLength(); i += 2)
                recent.Add(new TallyEntry(DateTimeOffset.FromUnixTimeMilliseconds(r[i].GetInt64()), r[i + 1].GetDecimal()));
        }
        return EventTally.Restore(count, sum, recent, 0);
    }

    /// <summary>Both stored parts folded into one tally.</summary>
    public static EventTally Combine(string? built, string? live)
    {
        var tally = live is null ? new EventTally() : Read(live);
        if (built is not null)
            tally.Absorb(Read(built));
        return tally;
    }
}
