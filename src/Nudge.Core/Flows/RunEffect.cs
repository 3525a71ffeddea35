using System.Text.Json;

namespace Nudge.Core.Flows;

/// <summary>
/// Something a step does outside the run. Each is keyed by (run, step): the engine writes messages to the outbox
/// under that key and profile changes as events with a message id made from it, so doing it again after a crash
/// changes nothing.
/// </summary>
/// <param name="StepId">The step that asked for it.</param>
public abstract record RunEffect(string StepId);

/// <summary>A message for the outbox, with the send step's settings and the flow's priority (for delivery to settle competing messages).</summary>
public sealed record SendMessage(string StepId, string Channel, string TemplateId, TimeSpan? SmartSending, bool Transactional, int Priority)
    : RunEffect(StepId);

/// <summary>A trait change: set a value, add or remove a tag, or add to a score.</summary>
public sealed record ChangeProfile(string StepId, ProfileChange Change) : RunEffect(StepId);

/// <summary>Join or leave a static list.</summary>
public sealed record ChangeList(string StepId, string ListId, bool Join) : RunEffect(StepId);

/// <summary>Give the person a code of a coupon pool, keyed by (run, step): asked again, the same code comes back.</summary>
public sealed record AssignCoupon(string StepId, string PoolId) : RunEffect(StepId);

/// <summary>A signed POST of the run's data to a URL.</summary>
public sealed record CallWebhook(string StepId, Uri Url) : RunEffect(StepId);

/// <summary>Start the profile in another flow.</summary>
public sealed record StartFlow(string StepId, string FlowId) : RunEffect(StepId);

/// <summary>What a profile step changes.</summary>
public abstract record ProfileChange;

/// <summary>Sets a trait to a value.</summary>
public sealed record SetTrait(string Trait, JsonElement Value) : ProfileChange;

/// <summary>Adds a tag to (or removes it from) the <c>tags</c> trait.</summary>
public sealed record ChangeTag(string Tag, bool Add) : ProfileChange;

/// <summary>Adds to a numeric trait (missing counts as 0).</summary>
public sealed record AddToScore(string Score, decimal By) : ProfileChange;
