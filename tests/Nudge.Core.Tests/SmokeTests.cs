namespace Nudge.Core.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Core_assembly_loads() => Assert.NotNull(typeof(Nudge.Core.Ingestion.MessageType).Assembly);
}
