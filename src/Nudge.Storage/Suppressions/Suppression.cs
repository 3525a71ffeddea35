using Nudge.Core.Consent;

namespace Nudge.Storage.Suppressions;

/// <summary>An address that no send may reach on one channel.</summary>
/// <param name="WorkspaceId">The shop it belongs to.</param>
/// <param name="Channel">email, sms or push.</param>
/// <param name="Address">The normalized address (<see cref="SuppressionAddress.Normalize"/>).</param>
/// <param name="Reason">Why.</param>
/// <param name="Source">Who added it (admin, import, a bounce handler, ...).</param>
/// <param name="CreatedAt">When it was added.</param>
public sealed record Suppression(
    string WorkspaceId, string Channel, string Address, SuppressionReason Reason, string? Source, DateTimeOffset CreatedAt);

/// <summary>One address to suppress, as an import or a bounce handler hands it over.</summary>
/// <param name="Channel">email, sms or push.</param>
/// <param name="Address">The normalized address.</param>
/// <param name="Reason">Why.</param>
public sealed record SuppressionRequest(string Channel, string Address, SuppressionReason Reason);
