namespace Nudge.Core.Commerce;

/// <summary>
/// A track event of the Segment e-commerce spec v2, read into a typed shape so flows and segments can
/// reason about carts and orders instead of loose JSON. Events outside the spec stay generic.
/// </summary>
/// <remarks>
/// Lists of products compare by reference, so two events with equal products are not equal records.
/// </remarks>
public abstract record CommerceEvent;
