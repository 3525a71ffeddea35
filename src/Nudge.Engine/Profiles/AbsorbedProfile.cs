using Nudge.Core.Profiles;

namespace Nudge.Engine.Profiles;

/// <summary>What a profile merged away hands to the survivor: its state and its condition tallies.</summary>
[GenerateSerializer, Immutable]
public sealed record AbsorbedProfile([property: Id(0)] Profile Profile, [property: Id(1)] IReadOnlyList<StoredTally> Tallies);

/// <summary>One condition tally in its stored text form.</summary>
[GenerateSerializer, Immutable]
public sealed record StoredTally([property: Id(0)] string Key, [property: Id(1)] string Text);
