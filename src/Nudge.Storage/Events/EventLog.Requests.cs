namespace Nudge.Storage.Events;

public sealed partial class EventLog
{
    private abstract record Request;

    private sealed record AppendRequest(IReadOnlyList<EventToAppend> Events, TaskCompletionSource<AppendOutcome[]> Done) : Request;

    private sealed record EraseRequest(string WorkspaceId, string ProfileId, TaskCompletionSource<ErasureResult> Done) : Request;
}

/// <summary>What erasing a person removed.</summary>
/// <param name="ProfileIds">The profile and every profile merged into it.</param>
/// <param name="EventsDeleted">How many logged events were deleted.</param>
public sealed record ErasureResult(IReadOnlyList<string> ProfileIds, int EventsDeleted);
