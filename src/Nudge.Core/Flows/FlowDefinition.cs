using System.Collections.Immutable;
using Nudge.Core.Segments;

namespace Nudge.Core.Flows;

/// <summary>
/// One version of a flow: what starts a run, who may stay in it, what ends it early, and the graph of steps a run
/// walks. Read from JSON by <see cref="FlowDefinitionReader"/>; walked by <see cref="FlowRunner"/>.
/// </summary>
/// <param name="Name">What the shop calls the flow ("Cart abandonment").</param>
/// <param name="Description">Optional notes.</param>
/// <param name="Trigger">What starts a run for a profile.</param>
/// <param name="Filter">Who may stay in the flow: checked when a run starts and again before every step.</param>
/// <param name="ExitOn">Events that end a run at once, even during a wait (e.g. Order Completed).</param>
/// <param name="Reentry">How often one profile may go through the flow.</param>
/// <param name="Priority">Higher goes first when one event starts several flows, and wins when their messages compete.</param>
/// <param name="Start">The first step.</param>
/// <param name="Steps">Every step by its id.</param>
public sealed record FlowDefinition(
    string Name,
    string? Description,
    FlowTrigger Trigger,
    Condition? Filter,
    ImmutableArray<EventCondition> ExitOn,
    ReentryRule Reentry,
    int Priority,
    string Start,
    ImmutableDictionary<string, FlowStep> Steps);
