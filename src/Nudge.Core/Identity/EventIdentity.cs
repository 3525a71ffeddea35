namespace Nudge.Core.Identity;

/// <summary>The identity changes an event made, kept with the event so the timeline can show them.</summary>
/// <param name="Linked">Ids this event pointed at its profile.</param>
/// <param name="Absorbed">Profiles this event merged into its profile.</param>
/// <param name="Refused">Ids the event named but was not allowed to link.</param>
public sealed record EventIdentity(
    IReadOnlyList<IdentityKey> Linked,
    IReadOnlyList<string> Absorbed,
    IReadOnlyList<RefusedIdentity> Refused)
{
    public static readonly EventIdentity None = new([], [], []);

    public bool IsEmpty => Linked.Count == 0 && Absorbed.Count == 0 && Refused.Count == 0;

    public static EventIdentity From(IdentityDecision decision) =>
        new(decision.Links.Select(l => l.Key).ToList(), decision.Absorbed, decision.Refused);
}
