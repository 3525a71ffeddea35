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

/// <summary>
/// A date of the profile starts a run: a birthday or first order date, shifted by whole days (negative: before),
/// every year or once, at a local time of day in the profile's time zone (or the fallback zone).
/// </summary>
/// <param name="Property">A profile property holding a date, e.g. <c>traits.birthday</c> or <c>computed.firstOrderAt</c>.</param>
/// <param name="OffsetDays">Days after (positive) or before (negative) the date.</param>
/// <param name="Yearly">Every year on the anniversary (29 February falls on 28 February in common years), or once.</param>
/// <param name="Time">The local time of day.</param>
/// <param name="FallbackZone">The zone for profiles without one.</param>
public sealed record DateTrigger(string Property, int OffsetDays, bool Yearly, TimeOnly Time, string FallbackZone) : FlowTrigger
{
    /// <summary>The first moment after <paramref name="after"/> when the trigger fires for <paramref name="profile"/>; null for none.</summary>
    public DateTimeOffset? Next(Profiles.Profile profile, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var zone = (string.IsNullOrEmpty(profile.TimeZone) ? null : NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(profile.TimeZone))
            ?? ValueComparison.ZoneOf(FallbackZone);
        if (!ValueComparison.TryGetLocalDate(ProfileProperties.Read(profile, Property), zone, out var date))
            return null;
        var time = new NodaTime.LocalTime(Time.Hour, Time.Minute, Time.Second);
        DateTimeOffset At(NodaTime.LocalDate day) => day.PlusDays(OffsetDays).At(time).InZoneLeniently(zone).ToDateTimeOffset();

        if (!Yearly)
            return At(date) is var once && once > after ? once : null;
        var year = NodaTime.Instant.FromDateTimeOffset(after).InZone(zone).Year;
        for (var y = year - 1; y <= year + 1; y++)
        {
            if (At(ValueComparison.OnYear(date, y)) is var moment && moment > after)
                return moment;
        }
        return null;
    }
}
