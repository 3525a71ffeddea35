using System.Buffers;
using System.Text;
using System.Text.Json;
using Nudge.Core.Segments;

namespace Nudge.Engine.Segments;

/// <summary>
/// The stored form of an <see cref="EventTally"/>: <c>{"n":count,"s":sum,"r":[at,value,at,value,...]}</c>
/// with times in Unix milliseconds, and of all of a profile's tallies as one object keyed by tally key.
/// Compact, because a profile may hold a hundred of them.
/// </summary>
public static class TallyText
{
    public static string Write(EventTally tally) => Text(writer => Write(writer, tally));

    /// <summary>Every tally of a profile in one document: <c>{"key": tally, ...}</c>.</summary>
    public static string WriteAll(IEnumerable<KeyValuePair<string, EventTally>> tallies) => Text(writer =>
    {
        writer.WriteStartObject();
        foreach (var (key, tally) in tallies)
        {
            writer.WritePropertyName(key);
            Write(writer, tally);
        }
        writer.WriteEndObject();
    });

    public static EventTally Read(string text)
    {
        using var json = JsonDocument.Parse(text);
        return Read(json.RootElement);
    }

    /// <summary>Reads a document written by <see cref="WriteAll"/>.</summary>
    public static IEnumerable<KeyValuePair<string, EventTally>> ReadAll(string text)
    {
        using var json = JsonDocument.Parse(text);
        return json.RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, Read(p.Value))).ToList();
    }

    private static EventTally Read(JsonElement root)
    {
        var count = root.TryGetProperty("n", out var n) ? n.GetInt64() : 0;
        var sum = root.TryGetProperty("s", out var s) ? s.GetDecimal() : 0;
        var recent = new List<TallyEntry>();
        if (root.TryGetProperty("r", out var r))
        {
            for (var i = 0; i + 1 < r.GetArrayLength(); i += 2)
                recent.Add(new TallyEntry(DateTimeOffset.FromUnixTimeMilliseconds(r[i].GetInt64()), r[i + 1].GetDecimal()));
        }
        return EventTally.Restore(count, sum, recent);
    }

    private static void Write(Utf8JsonWriter writer, EventTally tally)
    {
        writer.WriteStartObject();
        if (tally.Count != 0)
            writer.WriteNumber("n", tally.Count);
        if (tally.Sum != 0)
            writer.WriteNumber("s", tally.Sum);
        if (!tally.Recent.IsEmpty)
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

    private static string Text(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
            write(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
