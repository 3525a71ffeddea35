namespace Nudge.Core.Profiles;

/// <summary>Where a person is, as far as their traits and tracker context tell.</summary>
public sealed record Location(string? Country, string? Region, string? City, double? Latitude, double? Longitude);
