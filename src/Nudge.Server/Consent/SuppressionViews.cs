using Nudge.Core.Consent;
using Nudge.Storage.Suppressions;

namespace Nudge.Server.Consent;

/// <summary>An address no send may reach on a channel.</summary>
/// <param name="Channel">email, sms or push.</param>
/// <param name="Address">The normalized address.</param>
/// <param name="Reason">hard_bounce, complaint, manual or unsubscribe.</param>
/// <param name="Source">Who added it: admin, import, ...</param>
/// <param name="CreatedAt">When.</param>
public sealed record SuppressionView(string Channel, string Address, string Reason, string? Source, DateTimeOffset CreatedAt)
{
    public static SuppressionView Of(Suppression s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Channel, s.Address, SuppressionReasons.Name(s.Reason), s.Source, s.CreatedAt);
    }
}

/// <summary>A page of the suppression list.</summary>
/// <param name="Suppressions">The page's rows in channel and address order.</param>
/// <param name="Next">Pass it as <c>after</c> for the next page; null on the last page.</param>
public sealed record SuppressionsPage(IReadOnlyList<SuppressionView> Suppressions, string? Next);

/// <summary>An address to suppress (<c>POST /api/suppressions</c>); channel and address are required.</summary>
public sealed record SuppressionBody
{
    /// <summary>email, sms or push (required).</summary>
    public string? Channel { get; init; }

    /// <summary>An email address, a phone number or a push endpoint (required); stored normalized.</summary>
    public string? Address { get; init; }

    /// <summary>hard_bounce, complaint, manual (the default) or unsubscribe.</summary>
    public string? Reason { get; init; }
}

/// <summary>What an import did.</summary>
/// <param name="Added">Addresses suppressed now.</param>
/// <param name="AlreadySuppressed">Valid rows whose address was suppressed before (or earlier in the file).</param>
/// <param name="Rejected">Rows that were not imported, with their line number and why.</param>
public sealed record SuppressionImportReport(int Added, int AlreadySuppressed, IReadOnlyList<RejectedRow> Rejected);

/// <summary>A row of an import that was not imported.</summary>
/// <param name="Line">Its line number in the file, from 1.</param>
/// <param name="Field">address or reason, when one field was wrong.</param>
/// <param name="Message">What was wrong.</param>
public sealed record RejectedRow(int Line, string? Field, string Message);
