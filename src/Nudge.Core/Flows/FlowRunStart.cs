using System.Text.Json;

namespace Nudge.Core.Flows;

/// <summary>What a new run needs besides its flow and profile.</summary>
/// <param name="RunId">From <see cref="FlowRunner.RunId"/>.</param>
/// <param name="WorkspaceId">The shop.</param>
/// <param name="FlowId">The flow.</param>
/// <param name="Version">The flow version the run follows.</param>
/// <param name="Trigger">The trigger event's body, or the manual start's data.</param>
/// <param name="Description">The history's first line ("Checkout Started", "started by API").</param>
public sealed record FlowRunStart(string RunId, string WorkspaceId, string FlowId, int Version, JsonElement Trigger, string Description);
