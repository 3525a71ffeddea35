using Microsoft.Extensions.Logging;
using Nudge.Core.Ingestion;
using Nudge.Core.Profiles;
using Nudge.Storage.Profiles;
using Orleans.Concurrency;

namespace Nudge.Engine.Profiles;

/// <summary>
/// Thin host of <see cref="ProfileProjection"/>: loads the profile, folds events into it, saves it when the
/// partition reader checkpoints (<see cref="FlushAsync"/>) or the grain deactivates. Single-threaded per
/// profile by Orleans, so no locks and no lost updates.
/// </summary>
public sealed partial class ProfileGrain(ProfileStore store, ILogger<ProfileGrain> logger) : Grain, IProfileGrain
{
    private Profile? _profile;
    private bool _erased;
    private bool _dirty;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var id = this.GetPrimaryKeyString();
        _erased = await store.IsErasedAsync(id, cancellationToken);
        _profile = _erased ? null : await store.LoadAsync(id, cancellationToken);
    }

    public async Task ApplyAsync(Immutable<IReadOnlyList<LoggedEvent>> batch)
    {
        var events = batch.Value;
        if (_erased || events.Count == 0)
            return;

        var profile = _profile ?? Profile.Empty(this.GetPrimaryKeyString(), events[0].WorkspaceId);
        for (var i = 0; i < events.Count; i++)
        {
            if (profile.MergedInto is { } survivor)
            {
                // Events logged under this id before the merge still arrive here; they belong to the survivor now.
                // The survivor saves at once: this partition's checkpoint does not cover it.
                await SaveAsync(profile);
                var target = GrainFactory.GetGrain<IProfileGrain>(survivor);
                await target.ApplyAsync(new(events.Skip(i).ToList()));
                await target.FlushAsync();
                return;
            }

            var e = events[i];
            if (profile.AppliedThrough.TryGetValue(e.ProfileId, out var through) && e.Sequence <= through)
                continue;

            foreach (var absorbedId in e.Identity.Absorbed)
            {
                if (absorbedId == profile.Id)
                    continue;
                var absorbed = await GrainFactory.GetGrain<IProfileGrain>(absorbedId).AbsorbIntoAsync(profile.Id);
                if (absorbed is not null)
                    profile = ProfileProjection.Absorb(profile, absorbed);
            }

            profile = ProfileProjection.Apply(profile, e);
        }

        _profile = profile;
        _dirty = true;
    }

    public async Task FlushAsync()
    {
        if (_dirty && _profile is not null && !_erased)
            await SaveAsync(_profile);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await FlushAsync();

    public async Task<Profile?> AbsorbIntoAsync(string survivorId)
    {
        if (_erased)
            return null;

        var state = _profile ?? Profile.Empty(this.GetPrimaryKeyString(), "");
        await SaveAsync(state with { MergedInto = survivorId });
        Log.Absorbed(logger, state.Id, survivorId);
        return state;
    }

    public Task<Profile?> GetAsync() => Task.FromResult(_erased ? null : _profile);

    public Task EraseAsync()
    {
        _erased = true;
        _profile = null;
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private async Task SaveAsync(Profile profile)
    {
        _profile = profile;
        _dirty = false;
        if (profile.WorkspaceId.Length > 0)
            await store.SaveAsync(profile, CancellationToken.None);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Profile {Absorbed} merged into {Survivor}")]
        public static partial void Absorbed(ILogger logger, string absorbed, string survivor);
    }
}
