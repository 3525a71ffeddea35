using Nudge.Channels.Templates;

namespace Nudge.Channels.Tests.Templates;

public sealed class ConformanceTests
{
    [Fact]
    public async Task Report()
    {
        var results = await GoldenLiquid.RunAsync(new TemplateEngine());
        var bare = await BareFluid.PassingAsync();
        var onlyNudge = results.Where(r => !r.Passed && bare.Contains(r.Name)).Select(r => $"NUDGE-ONLY {r.Name}\n   expected: {r.Expected}\n   actual:   {r.Actual}");
        await File.WriteAllTextAsync("/tmp/golden-nudge-only.txt", $"bare passes {bare.Count}\n" + string.Join("\n", onlyNudge), TestContext.Current.CancellationToken);
        var lines = results.Where(r => !r.Passed).Select(r => $"{r.Name}\n   expected: {r.Expected}\n   actual:   {r.Actual}");
        await File.WriteAllTextAsync("/tmp/golden-failures.txt", $"passed {results.Count(r => r.Passed)} of {results.Count}\n" + string.Join("\n", lines), TestContext.Current.CancellationToken);
    }
}
