using System.Globalization;
using Nudge.Core.Identity;
using Nudge.Core.Ingestion;
using Nudge.Storage.Events;

namespace Nudge.Server.Imports;

/// <summary>One customer or order read from the file, as the message it becomes.</summary>
internal sealed record ImportedRecord(EventToAppend Event);

/// <summary>
/// Turns rows into records. A record may span rows (an order's lines), so a record is complete only when a row
/// starting the next one arrives, or at the end of the file; that moment is also where a checkpoint may be taken.
/// Bad rows are reported with their line and field and left out.
/// </summary>
internal abstract class RecordBuilder(RowSource source, RowErrors errors, string? region, TimeProvider time)
{
    /// <summary>Timestamps further in the future than this are refused: history cannot come from tomorrow.</summary>
    private static readonly TimeSpan MaxFuture = TimeSpan.FromDays(1);

    /// <summary>Normalized addresses by their spelling: an order file names each customer many times, and checking an address is not free.</summary>
    private readonly Dictionary<string, string?> _emails = new(StringComparer.Ordinal);

    protected RowSource Source => source;

    protected RowErrors Errors => errors;

    /// <summary>True when the current row starts a new record: everything before it is complete.</summary>
    public abstract bool StartsRecord();

    /// <summary>The record read so far, complete; null when there is none.</summary>
    public abstract ImportedRecord? Complete();

    /// <summary>Takes the current row in.</summary>
    public abstract void Add();

    public static RecordBuilder For(ImportKind kind, RowSource source, RowErrors errors, ImportEvents events, string? region, TimeProvider time) =>
        kind.Name == ImportKind.OrdersName
            ? new OrderRecords(source, errors, events, region, time)
            : new CustomerRecords(source, errors, events, region, time);

    /// <summary>The person a row names; null (with errors reported) when its ids are unusable or missing.</summary>
    protected Who? ReadWho(int emailField, int userIdField, int phoneField, bool phoneIdentifies)
    {
        var line = source.Line;
        var failed = false;
        var emailText = source.Text(emailField);
        var email = emailText is null ? null : NormalizedEmail(emailText);
        if (emailText is not null && email is null)
            failed = Error(line, "email", $"'{emailText}' is not a valid email address");
        var userId = source.Text(userIdField);
        if (userId is { Length: > MessageParser.MaxIdLength })
            failed = Error(line, "user_id", $"is longer than {MessageParser.MaxIdLength} characters");
        var phoneText = source.Text(phoneField);
        var phone = ContactNormalizer.Phone(phoneText, region);
        if (phoneText is not null && phone is null)
            failed = Error(line, "phone", $"'{phoneText}' is not a valid phone number");
        if (!failed && emailText is null && userId is null && (!phoneIdentifies || phoneText is null))
            failed = Error(line, "email", phoneIdentifies ? "is empty; a row needs an email, a user_id or a phone" : "is empty; a row needs an email or a user_id");
        return failed ? null : new Who(userId, email, phone);
    }

    private string? NormalizedEmail(string text)
    {
        if (_emails.TryGetValue(text, out var known))
            return known;
        if (_emails.Count >= 100_000)
            _emails.Clear();
        return _emails[text] = ContactNormalizer.Email(text);
    }

    /// <summary>A moment: ISO 8601 (with a date first; no offset means UTC) or Unix seconds or milliseconds.</summary>
    protected DateTimeOffset? ReadTime(int field, string name, bool required)
    {
        var text = source.Text(field);
        if (text is null)
        {
            if (required)
                Error(source.Line, name, "is empty; the original time is needed to import history");
            return null;
        }
        DateTimeOffset at;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var unix))
            at = text.Length > 11 ? DateTimeOffset.FromUnixTimeMilliseconds(unix) : DateTimeOffset.FromUnixTimeSeconds(unix);
        else if (!MessageParser.TryParseTime(text, out at))
        {
            Error(source.Line, name, $"'{text}' is not a date and time (use ISO 8601, e.g. 2024-03-05T14:22:10+01:00)");
            return null;
        }
        if (at > time.GetUtcNow() + MaxFuture)
        {
            Error(source.Line, name, $"'{text}' is in the future");
            return null;
        }
        return at;
    }

    /// <summary>A decimal amount with a point (<c>59.90</c>); null when empty; <paramref name="ok"/> false when unreadable.</summary>
    protected decimal? ReadAmount(int field, string name, ref bool ok)
    {
        var text = source.Text(field);
        if (text is null)
            return null;
        if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            return value;
        ok = Error(source.Line, name, $"'{text}' is not an amount (digits with a decimal point, e.g. 59.90)") && false;
        return null;
    }

    /// <summary>Reports an error and returns true (so callers can write <c>failed = Error(...)</c>).</summary>
    protected bool Error(long line, string field, string message)
    {
        errors.Add(line, field, message);
        return true;
    }
}
