using Nudge.Core.Ingestion;
using Nudge.Core.Segments;

namespace Nudge.Core.Flows;

/// <summary>What starts a run of a flow for one profile.</summary>
public abstract record FlowTrigger;

/// <summary>
/// A matching event starts a run: a track event with property filters (Checkout Started where value &gt; 20), and
/// also segment and list triggers, which match the <c>Segment Entered</c> / <c>Segment Exited</c> /
/// <c>List Joined</c> events Nudge logs itself.
/// </summary>
/// <param name="Match">The event and its filters (count and window do not apply).</param>
/// <param name="TrustedOnly">
/// Only events Nudge logged itself or a server key sent count: segment and list triggers, which a browser key (public
/// by nature) must not be able to fake.
/// </param>
public sealed record EventTrigger(EventCondition Match, bool TrustedOnly = false) : FlowTrigger
{
    /// <summary>True when <paramref name="e"/> starts a run of the flow.</summary>
    public bool Matches(LoggedEvent e) =>
        (!TrustedOnly || e.KeyKind is KeyKind.Server or KeyKind.Internal) && EventMatching.TryRead(Match, e, out _);
}

/// <summary>Runs start only through the API (<c>POST /api/flows/{id}/runs</c>).</summary>
public sealed record ManualTrigger : FlowTrigger;

/// <summary>
/// On a schedule (cron in a time zone), a run starts for every member of a segment, e.g. a daily search
/// abandonment at 10:00 Berlin time for "searched yesterday, did not buy".
/// </summary>
/// <param name="Cron">Five fields (minute hour day month weekday), or six with seconds first.</param>
/// <param name="TimeZone">The IANA zone the cron is read in (DST handled by Cronos).</param>
/// <param name="SegmentId">Whose runs start.</param>
public sealed record ScheduleTrigger(string Cron, string TimeZone, string SegmentId) : FlowTrigger
{
    /// <summary>The first occurrence after <paramref name="after"/>, or null when the expression never fires again.</summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        var expression = Cronos.CronExpression.Parse(Cron, Cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6
            ? Cronos.CronFormat.IncludeSeconds
            : Cronos.CronFormat.Standard);
        return expression.GetNextOccurrence(after, TimeZoneInfo.FindSystemTimeZoneById(TimeZone));
    }
}
