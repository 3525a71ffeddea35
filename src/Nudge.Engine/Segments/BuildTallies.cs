using System.Buffers;
using System.Text.Json;
using Nudge.Core.Segments;

namespace Nudge.Engine.Segments;

/// <summary>
/// A build's tallies: per profile, one <see cref="EventTally"/> per tallied condition of the segment, and how
/// far the log has been read. Saved as a checkpoint so that a restarted build resumes its scan.
/// </summary>
public sealed class BuildTallies(int conditions)
{
    public Dictionary<string, EventTally?[]> ByProfile { get; } = new(StringComparer.Ordinal);

    /// <summary>The log has been counted up to this sequence.</summary>
    public long ScannedThrough { get; set; }

    /// <summary>True once the scan reached the segment's build boundary.</summary>
    public bool Scanned { get; set; }

    public EventTally Get(string profileId, int condition)
    {
        if (!ByProfile.TryGetValue(profileId, out var tallies))
            ByProfile[profileId] = tallies = new EventTally?[conditions];
        return tallies[condition] ??= new EventTally();
    }

    public byte[] ToCheckpoint()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("scannedThrough", ScannedThrough);
            writer.WriteBoolean("scanned", Scanned);
            writer.WriteStartObject("tallies");
            foreach (var (profileId, tallies) in ByProfile)
            {
                writer.WriteStartArray(profileId);
                foreach (var tally in tallies)
                {
                    if (tally is null)
                        writer.WriteNullValue();
                    else
                        writer.WriteStringValue(TallyText.Write(tally));
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static BuildTallies FromCheckpoint(byte[] checkpoint, int conditions)
    {
        using var json = JsonDocument.Parse(checkpoint);
        var root = json.RootElement;
        var tallies = new BuildTallies(conditions)
        {
            ScannedThrough = root.GetProperty("scannedThrough").GetInt64(),
            Scanned = root.GetProperty("scanned").GetBoolean(),
        };
        foreach (var profile in root.GetProperty("tallies").EnumerateObject())
        {
            var row = new EventTally?[conditions];
            var i = 0;
            foreach (var item in profile.Value.EnumerateArray())
            {
                if (i < conditions && item.ValueKind == JsonValueKind.String)
                    row[i] = TallyText.Read(item.GetString()!);
                i++;
            }
            tallies.ByProfile[profile.Name] = row;
        }
        return tallies;
    }
}
