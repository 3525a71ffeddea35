using System.Text;
using System.Text.Json;

namespace Nudge.Server.Imports;

/// <summary>
/// Customers: one row each, an identify with the row's traits (columns bound to no field become traits under their
/// own name), timed at <c>created_at</c> when the row has it.
/// </summary>
internal sealed class CustomerRecords(RowSource source, RowErrors errors, ImportEvents events, string? region, TimeProvider time)
    : RecordBuilder(source, errors, region, time)
{
    private static readonly ImportKind Kind = ImportKind.Customers;
    private static readonly int Email = Kind.IndexOf("email");
    private static readonly int UserId = Kind.IndexOf("user_id");
    private static readonly int Phone = Kind.IndexOf("phone");
    private static readonly int FirstName = Kind.IndexOf("first_name");
    private static readonly int LastName = Kind.IndexOf("last_name");
    private static readonly int CreatedAt = Kind.IndexOf("created_at");

    private readonly TimeProvider _time = time;
    private ImportedRecord? _pending;

    public override bool StartsRecord() => true;

    public override ImportedRecord? Complete()
    {
        var done = _pending;
        _pending = null;
        return done;
    }

    public override void Add()
    {
        var before = Errors.Count;
        var who = ReadWho(Email, UserId, Phone, phoneIdentifies: false);
        var createdAt = ReadTime(CreatedAt, "created_at", required: false);
        if (who is null || Errors.Count > before)
            return;

        var traits = new List<(string Name, string? Text, JsonElement? Json)>();
        if (Source.Text(FirstName) is { } first)
            traits.Add(("first_name", first, null));
        if (Source.Text(LastName) is { } last)
            traits.Add(("last_name", last, null));
        if (createdAt is { } created)
            traits.Add(("created_at", created.ToString("O", System.Globalization.CultureInfo.InvariantCulture), null));
        traits.AddRange(Source.Unbound());

        var content = new StringBuilder(who.Key);
        foreach (var (name, text, json) in traits)
            content.Append('\u001f').Append(name).Append('=').Append(text ?? json?.GetRawText());
        var messageId = ImportEvents.CustomerMessageId(who.Key, content.ToString());
        var line = Source.Line;
        _pending = new ImportedRecord(events.Identify(messageId, createdAt ?? _time.GetUtcNow(), line, who, json =>
        {
            foreach (var (name, text, value) in traits)
            {
                if (value is { } element)
                {
                    json.WritePropertyName(name);
                    element.WriteTo(json);
                }
                else
                {
                    json.WriteString(name, text);
                }
            }
        }));
    }
}
