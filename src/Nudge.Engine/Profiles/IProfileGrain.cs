using Nudge.Core.Ingestion;
using Nudge.Core.Profiles;
using Orleans.Concurrency;

namespace Nudge.Engine.Profiles;

/// <summary>One person's profile; the only writer of its state. Keyed by profile id.</summary>
public interface IProfileGrain : IGrainWithStringKey
{
    /// <summary>Applies events in log order, in memory; events already applied are skipped.</summary>
    /// <remarks>Immutable: nobody changes a batch after handing it over, so Orleans passes it without a copy.</remarks>
    Task ApplyAsync(Immutable<IReadOnlyList<LoggedEvent>> events);

    /// <summary>Saves the state if events changed it since the last save; the partition reader calls this before moving its cursor.</summary>
    Task FlushAsync();

    /// <summary>Hands this profile's state to the survivor of a merge and forwards from now on.</summary>
    Task<AbsorbedProfile?> AbsorbIntoAsync(string survivorId);

    /// <summary>Re-evaluates every segment now and saves: a time-based change is due, or a segment finished building.</summary>
    Task ReevaluateSegmentsAsync();

    /// <summary>The segments the profile is in or has left, as they stand now (the stored rows may lag by a checkpoint).</summary>
    Task<IReadOnlyList<MembershipView>> GetSegmentsAsync();

    /// <summary>A flow run's wake-up for the moment <paramref name="due"/>; a wake-up the run no longer waits for changes nothing.</summary>
    Task WakeRunAsync(string runId, DateTimeOffset due);

    /// <summary>The moment of a date-triggered flow (a birthday) has come for this profile.</summary>
    Task WakeDateFlowAsync(string flowId, DateTimeOffset due);

    /// <summary>Starts a live flow for this profile by hand; <paramref name="startKey"/> makes a repeated request start one run.</summary>
    Task<FlowStartResult> StartFlowAsync(string flowId, string startKey, string dataJson);

    /// <summary>Cancels an active run of this profile; false when there is none with that id.</summary>
    Task<bool> CancelRunAsync(string runId);

    /// <summary>The current state, or null for an unknown or erased profile.</summary>
    Task<Profile?> GetAsync();

    /// <summary>Forgets the profile; whatever still reaches it is ignored.</summary>
    Task EraseAsync();
}
