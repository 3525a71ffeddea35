using System.Text.Json;
using Fluid;
using Nudge.Channels.Tests.Support;

namespace Nudge.Channels.Tests.Templates;

/// <summary>The golden-liquid suite on Fluid with its default options, to tell Fluid's own gaps from Nudge's choices.</summary>
public static class BareFluid
{
    public static async Task<HashSet<string>> PassingAsync()
    {
        using var suite = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(SharedData.GoldenLiquid, "golden_liquid.json")));
        var parser = new FluidParser(new FluidParserOptions { AllowLiquidTag = true });
        var passing = new HashSet<string>();
        foreach (var test in suite.RootElement.GetProperty("tests").EnumerateArray())
        {
            var name = test.GetProperty("name").GetString()!;
            var invalid = test.TryGetProperty("invalid", out var flag) && flag.GetBoolean();
            var expected = test.TryGetProperty("results", out var many) ? many.EnumerateArray().Select(r => r.GetString()!).ToList()
                : invalid ? [] : [test.GetProperty("result").GetString()!];
            string? actual;
            try
            {
                var options = new TemplateOptions();
                if (test.TryGetProperty("templates", out var files))
                    options.FileProvider = new MemoryFiles(files.EnumerateObject().ToDictionary(f => f.Name, f => f.Value.GetString()!));
                var template = parser.Parse(test.GetProperty("template").GetString()!);
                var context = new TemplateContext(options);
                if (test.TryGetProperty("data", out var data))
                {
                    foreach (var p in data.EnumerateObject())
                        context.SetValue(p.Name, Nudge.Channels.Templates.TemplateVariables.Convert(p.Value));
                }
                actual = template is null ? null : await template.RenderAsync(context, NullEncoder.Default);
            }
#pragma warning disable CA1031 // any failure counts as "an error" for the suite
            catch (Exception)
#pragma warning restore CA1031
            {
                actual = null;
            }
            if (invalid ? actual is null : actual is not null && expected.Contains(actual))
                passing.Add(name);
        }
        return passing;
    }

    internal sealed class MemoryFiles(Dictionary<string, string> files) : Microsoft.Extensions.FileProviders.IFileProvider
    {
        public Microsoft.Extensions.FileProviders.IFileInfo GetFileInfo(string subpath) => files.TryGetValue(subpath, out var body)
            ? new File(subpath, body)
            : new Microsoft.Extensions.FileProviders.NotFoundFileInfo(subpath);

        public Microsoft.Extensions.FileProviders.IDirectoryContents GetDirectoryContents(string subpath) =>
            Microsoft.Extensions.FileProviders.NotFoundDirectoryContents.Singleton;

        public Microsoft.Extensions.Primitives.IChangeToken Watch(string filter) => Microsoft.Extensions.FileProviders.NullChangeToken.Singleton;

        private sealed class File(string name, string body) : Microsoft.Extensions.FileProviders.IFileInfo
        {
            public bool Exists => true;
            public long Length => body.Length;
            public string? PhysicalPath => null;
            public string Name => name;
            public DateTimeOffset LastModified => DateTimeOffset.UnixEpoch;
            public bool IsDirectory => false;
            public Stream CreateReadStream() => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body));
        }
    }
}
