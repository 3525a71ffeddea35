using Nudge.Channels.Templates;
using Nudge.Channels.Tests.Support;

namespace Nudge.Channels.Tests.Templates;

/// <summary>The golden-liquid suite against the renderer as Nudge configures it (docs/templates.md, "Conformance").</summary>
public sealed class ConformanceTests
{
    /// <summary>The pass count recorded in docs/templates.md; it may grow, never shrink.</summary>
    private const int RecordedPasses = 841;

    [Fact]
    public async Task The_golden_liquid_pass_count_does_not_drop_below_the_recorded_figure()
    {
        var results = await GoldenLiquid.RunAsync(new TemplateEngine());

        Assert.True(results.Count(r => r.Passed) >= RecordedPasses,
            $"{results.Count(r => r.Passed)} of {results.Count} golden-liquid cases pass; {RecordedPasses} did before. Newly failing: " +
            string.Join("; ", results.Where(r => !r.Passed).Select(r => r.Name).Take(20)));
    }

    [Fact]
    public async Task Every_failing_golden_liquid_case_is_explained_in_the_docs()
    {
        var results = await GoldenLiquid.RunAsync(new TemplateEngine());
        var docs = await File.ReadAllTextAsync(Path.Combine(SharedData.RepositoryRoot(), "docs", "templates.md"), TestContext.Current.CancellationToken);

        var unexplained = results.Where(r => !r.Passed && !docs.Contains($"`{r.Name}`", StringComparison.Ordinal)).Select(r => r.Name).ToList();

        Assert.True(unexplained.Count == 0, "golden-liquid failures missing from docs/templates.md: " + string.Join("; ", unexplained));
    }

    [Fact]
    public async Task Nudge_passes_every_case_bare_Fluid_passes()
    {
        var bare = await BareFluid.PassingAsync();
        var nudge = await GoldenLiquid.RunAsync(new TemplateEngine());

        Assert.Empty(nudge.Where(r => !r.Passed && bare.Contains(r.Name)).Select(r => r.Name));
    }

    [Fact]
    public async Task Write_the_failures_for_the_docs_when_asked()
    {
        // Set NUDGE_GOLDEN_REPORT=path to write every failing case as JSON (to regroup docs/templates.md).
        if (Environment.GetEnvironmentVariable("NUDGE_GOLDEN_REPORT") is not { Length: > 0 } path)
            return;
        var results = await GoldenLiquid.RunAsync(new TemplateEngine());
        await File.WriteAllTextAsync(path, System.Text.Json.JsonSerializer.Serialize(results.Where(r => !r.Passed)), TestContext.Current.CancellationToken);
    }
}
