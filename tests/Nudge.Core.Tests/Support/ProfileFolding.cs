using Nudge.Core.Ingestion;
using Nudge.Core.Profiles;

namespace Nudge.Core.Tests.Support;

internal static class ProfileFolding
{
    /// <summary>Applies the events in order, as a profile grain does.</summary>
    public static Profile After(this Profile profile, params LoggedEvent[] events) =>
        events.Aggregate(profile, ProfileProjection.Apply);
}
