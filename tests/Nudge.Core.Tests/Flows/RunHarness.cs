using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Nudge.Core.Flows;
using Nudge.Core.Ingestion;
using Nudge.Core.Tests.Support;

namespace Nudge.Core.Tests.Flows;

/// <summary>
/// Drives one run the way the engine does, in simulated time: starts it, fires its wake-up when the clock passes
/// the moment, hands it events, and keeps every effect and history line it produced.
/// </summary>
internal sealed class RunHarness(string definitionJson)
{
    public FakeTimeProvider Clock { get; } = new(Some.Start);

    public FlowDefinition Flow { get; } = FlowJson.Read(definitionJson);

    public InMemorySegmentFacts Facts { get; } = new();

    public FlowRun? Run { get; private set; }

    public List<RunEffect> Effects { get; } = [];

    public List<StepRecord> History { get; } = [];

    public IEnumerable<SendMessage> Sent => Effects.OfType<SendMessage>();

    public RunHarness Start(string triggerKey = "msg_trigger")
    {
        var start = new FlowRunStart(FlowRunner.RunId("flw_1", Some.ProfileId, triggerKey), Some.Workspace, "flw_1", 1,
            JsonSerializer.SerializeToElement(new { @event = "Checkout Started" }), "Checkout Started");
        var advance = FlowRunner.Start(Flow, start, Facts, Clock.GetUtcNow());
        if (advance is not null)
            Take(advance);
        return this;
    }

    /// <summary>Moves the clock; a wake-up that falls due on the way fires at its moment (plus <paramref name="lateBy"/>).</summary>
    public RunHarness Advance(TimeSpan by, TimeSpan lateBy = default)
    {
        var until = Clock.GetUtcNow() + by;
        while (Run is { Wait.Due: { } due } run && due <= until)
        {
            Clock.SetUtcNow(due + lateBy);
            Take(FlowRunner.OnTimer(Flow, run, due, Facts, Clock.GetUtcNow()));
        }
        if (Clock.GetUtcNow() < until)
            Clock.SetUtcNow(until);
        return this;
    }

    public RunHarness Happens(LoggedEventBuilder e)
    {
        Take(FlowRunner.OnEvent(Flow, Run!, e.At(Clock.GetUtcNow()), Facts, Clock.GetUtcNow()));
        return this;
    }

    private void Take(RunAdvance advance)
    {
        Run = advance.Run;
        Effects.AddRange(advance.Effects);
        History.AddRange(advance.History);
    }
}

/// <summary>Reads flow definitions in tests; fails the test with the reader's errors when one is invalid.</summary>
internal static class FlowJson
{
    public static FlowDefinition Read(string json)
    {
        var read = FlowDefinitionReader.Read(JsonDocument.Parse(json).RootElement);
        Assert.True(read.IsValid, string.Join("; ", read.Errors.Select(e => $"{e.Field}: {e.Message}")));
        return read.Definition!;
    }

    public static IReadOnlyList<FieldError> Errors(string json) => FlowDefinitionReader.Read(JsonDocument.Parse(json).RootElement).Errors;

    /// <summary>"Checkout Started, wait an hour, email, exit on Order Completed": the shape most tests vary.</summary>
    public const string CartAbandonment = """
        {"name":"Cart abandonment","trigger":{"event":"Checkout Started","where":[{"property":"value","operator":"greaterThan","value":20}]},
         "exitOn":[{"event":"Order Completed"}],
         "start":"wait",
         "steps":{
           "wait":{"type":"wait","duration":{"hours":1},"next":"remind"},
           "remind":{"type":"send","channel":"email","template":"tpl_cart","next":"wait2"},
           "wait2":{"type":"wait","duration":{"days":1},"next":"last"},
           "last":{"type":"send","channel":"email","template":"tpl_cart_last"}}}
        """;
}
