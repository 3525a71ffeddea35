using Microsoft.Extensions.Logging;
using Nudge.Engine.Coupons;
using Nudge.Engine.Flows;
using Nudge.Engine.Segments;
using Nudge.Storage.Events;
using Nudge.Storage.Profiles;
using Nudge.Storage.Segments;

namespace Nudge.Engine.Profiles;

/// <summary>
/// What every <see cref="ProfileGrain"/> works with, in one object: a million awake profiles then hold one reference
/// each instead of nine, and an activation resolves one service instead of nine.
/// </summary>
public sealed record ProfileEngine(
    ProfileStore Store,
    SegmentStateStore SegmentStates,
    SegmentCatalog Catalog,
    EventReader Reader,
    EventLog Log,
    FlowHost Flows,
    CouponRedemptions Coupons,
    TimeProvider Time,
    ILogger<ProfileGrain> Logger);
